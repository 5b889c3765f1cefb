"""``harm-aversion``: a rat turns away from a lever that also shocks its neighbour.

After Hernandez-Lallement et al. (2020), "Harm to others acts as a negative reinforcer in
rats": rats pressing two levers for equal food came to prefer one; when the preferred lever
also delivered a footshock to a neighbour, they shifted away from it, and deactivating the
anterior cingulate cortex abolished the shift (harm aversion).

The box, the animals, their development and own shocks are those of ``lever-refusal``
(:class:`circuits.paradigms.lever_refusal.OperantBox`); the actions are ``lever_a`` and
``lever_b``. **Phases**: *development* (only the cortex learns), *baseline* (``baseline_sessions``:
both levers pay their food), *own_shocks* (``own_shocks`` footshocks in a shock chamber; 0
allowed), *harm* (``harm_sessions``: the lever preferred over the baseline sessions
also harms the neighbour during the outcome of each press). What reaches the subject
(``reaches``): the neighbour's pain expression (``pain``; through ``senses``), a recording of
its squeals with the neighbour unharmed (``squeal``), a neutral tone (``tone``) or nothing
(``nothing``).

The shift should come from the subject's reward model: the critic values the cortical code
of the other's pain as its own, so the value drop after a harming press is a dopamine dip
credited to that lever (D1 depressed, D2 potentiated). Freezing (amygdala -> PAG-vl) blocks
both levers alike and cannot make a preference. With the critic's cortical input cut (lesion
``cortex-critic``) food still reaches the VTA directly, so lever learning works, but the
other's pain can no longer be valued.

**Not yet shown** (measured, rate mode; see README). In the default circuit the critic's
value is a non-negative rate read through non-negative weights, and the only negative reward
is the subject's own nociception (PAG -> VTA). Own shocks can teach the critic that the pain
code is worth nothing (weights -> 0), never that it is worth less than nothing, so the
other's pain in the outcome of a press leaves the value where it was: measured (seed 0, 5 own
shocks, alternate harming/safe presses) critic 16.8 vs 16.3 Hz and dopamine 0.59 vs 0.54 Hz
above tonic in the first outcome step of harming vs safe presses, although the ACC/insula
code of the outcome rose from 49 to 121 Hz (summed). Preference moves are then drift and
the own shocks' effect on the actor. Compare with the paired control: the same seed with
``reaches=nothing`` is identical to the run up to the harm phase (checked), so the
difference between the two is what the neighbour's pain alone did.

**Rows** (condition ``subject``): per session ``harm_preference`` (presses on the harming
lever over all presses; in the baseline phase the lever that will harm), ``press_rate``
(presses/min), ``freezing``, ``da_harm``/``da_safe`` (VTA − tonic in the outcome of presses on
each lever, Hz), ``value_harm``/``value_safe`` (critic rate in those outcomes, Hz).
**Traces**: ``vta`` around presses (``time`` in s from the outcome's onset) of the harm
phase's first and last sessions, conditions ``harm`` and ``safe``.
"""

import dataclasses

import numpy as np

from circuits.paradigms.base import Paradigm
from circuits.paradigms.lever_refusal import OperantParams, operant_setup, subject_circuit
from regions.params import param

ACTIONS = ("lever_a", "lever_b")
REACHES = ("pain", "squeal", "tone", "nothing")


@dataclasses.dataclass(frozen=True)
class HarmAversionParams(OperantParams):
    food_a: float = param(1.0, low=0.0, high=5.0, doc="food per press of lever A (stimulus units); equal food "
                                                       "on both levers as in Hernandez-Lallement et al. 2020")
    food_b: float = param(1.0, low=0.0, high=5.0, doc="food per press of lever B (stimulus units)")
    reaches: str = param("pain", choices=REACHES,
                         doc="what a harming press brings the subject: the neighbour's pain expression (pain), "
                             "a recording of squeals with the neighbour unharmed (squeal), a neutral tone (tone) "
                             "or nothing (nothing)")
    trials: int = param(40, low=1, high=10000, doc="trials of a session")
    baseline_sessions: int = param(3, low=1, high=200, doc="sessions before the preferred lever starts to harm "
                                                           "(until a preference forms)")
    harm_sessions: int = param(4, low=1, high=200, doc="sessions in which the preferred lever harms the neighbour")


class HarmAversion(Paradigm):
    name = "harm-aversion"
    description = "two levers pay equal food; the preferred one also shocks a neighbour: preference shifts away"
    reference = "Hernandez-Lallement et al. 2020; Church 1959"
    Params = HarmAversionParams
    measures = {
        "harm_preference": "presses on the harming lever over all presses (baseline: the lever that will harm)",
        "press_rate": "presses per minute of session",
        "freezing": "fraction of steps with PAG-vl above its freezing threshold",
        "da_harm": "VTA − tonic in the outcome of presses on the harming lever (Hz)",
        "da_safe": "VTA − tonic in the outcome of presses on the other lever (Hz)",
        "value_harm": "critic rate in the outcome of harming presses (Hz)",
        "value_safe": "critic rate in the outcome of the other lever's presses (Hz)",
    }
    figures = ("harm_aversion",)
    effects = (("harm", "harm_preference"), ("baseline", "press_rate"))

    def actions(self, params):
        return ACTIONS

    def circuit(self, params, region_params=None):
        return subject_circuit(params, ACTIONS, region_params)

    def total_sessions(self, params):
        return 1 + params.baseline_sessions + params.harm_sessions

    def run(self, graph, params, seed, sim_options, progress=None):
        box = operant_setup(self, graph, params, seed, sim_options)
        _tick(progress)
        food = dict(zip(ACTIONS, (params.food_a, params.food_b)))
        baseline = []
        for session in range(params.baseline_sessions):
            baseline.append(box.trials(params.trials, lambda trial, a: (food.get(a, 0.0), False)))
            _tick(progress)
        counts = [sum(c == a for c in baseline[-1][1]) for a in ACTIONS]
        harm = ACTIONS[int(np.argmax(counts))]  # the preferred lever (ties: lever A)
        rows = []
        for session, result in enumerate(baseline):
            rows += self._session(box, "baseline", session, result, harm)
        if params.own_shocks:  # after lever learning, as in lever-refusal (see its run())
            box.own_shocks(params.own_shocks)
        signal = params.reaches if params.reaches != "nothing" else None
        for session in range(params.harm_sessions):
            result = box.trials(params.trials, lambda trial, a: (food.get(a, 0.0), a == harm and signal is not None),
                                signal=signal or "pain")
            rows += self._session(box, "harm", session, result, harm)
            if session in (0, params.harm_sessions - 1):
                start, chosen = result[0], result[1]
                for name, lever in (("harm", harm), ("safe", _other(harm))):
                    trials = [i for i, a in enumerate(chosen) if a == lever]
                    rows += box.trace_rows(name, "harm", session, box.trial_dopamine(start, trials))
            _tick(progress)
        return rows

    def _session(self, box, phase, session, result, harm):
        start, chosen, _, _ = result
        presses = [a for a in chosen if a in ACTIONS]
        pref = sum(a == harm for a in presses) / len(presses) if presses else float("nan")
        rows = [self.row("subject", phase, session, "harm_preference", pref),
                self.row("subject", phase, session, "press_rate", len(presses) / box.minutes(len(chosen))),
                self.row("subject", phase, session, "freezing", box.freezing(start, start + len(chosen) * box.length))]
        outcome = slice(box.length - box.p.outcome_steps, box.length)
        for name, lever in (("harm", harm), ("safe", _other(harm))):
            trials = [i for i, a in enumerate(chosen) if a == lever]
            block = box.trial_dopamine(start, trials)
            if block is not None:
                rows.append(self.row("subject", phase, session, f"da_{name}", block[:, outcome].mean()))
            if trials and "subject/ventral_striatum" in box.sim.regions:
                steps = np.concatenate([np.arange(start + i * box.length, start + (i + 1) * box.length)[outcome]
                                        for i in trials])
                value = np.asarray(box.sim.history)[steps][:, box.sim.built.units("subject/ventral_striatum")].mean()
                rows.append(self.row("subject", phase, session, f"value_{name}", value))
        return rows


def _other(lever):
    return ACTIONS[1 - ACTIONS.index(lever)]


def _tick(progress):
    if progress:
        progress()
