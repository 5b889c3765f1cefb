"""``harm-aversion``: a rat turns away from a lever that also shocks its neighbour.

After Hernandez-Lallement et al. (2020), "Harm to others acts as a negative reinforcer in
rats": rats pressing two levers for equal food came to prefer one; when the preferred lever
also delivered a footshock to a neighbour, they shifted away from it, and deactivating the
anterior cingulate cortex abolished the shift (harm aversion).

The box, the animals, their development and own shocks are those of ``lever-refusal``
(:class:`circuits.operant.OperantBox`); the actions are ``lever_a`` and ``lever_b``.
**Phases**: *development* (only the cortex learns), *baseline* (``baseline_sessions``: both
levers pay their food), *own_shocks* (``own_shocks`` footshocks away from the levers; 0
allowed), *harm* (``harm_sessions``: the lever preferred over the baseline sessions
also harms the neighbour during the outcome of each press). What reaches the subject
(``reaches``): the neighbour's pain expression (``pain``; through ``senses``), a recording of
its squeals with the neighbour unharmed (``squeal``), a neutral tone (``tone``) or nothing
(``nothing``).

The shift comes from the subject's reward model: the striatal pain model, taught only by the
subject's own nociception in its own shocks, reads the neighbour's pain code (shared with its
own in the ACC/insula) as pain, so a harming press is followed by a negative reward (a dopamine
dip) credited to that lever (D1 depressed, D2 potentiated); see :mod:`regions.basal_ganglia`.
With the ventral striatum's cortical input cut (lesion ``cortex-critic``) food still reaches
the VTA directly, so the levers are learnt, but the neighbour's pain no longer reaches the
dopamine cells and the preference does not move.

**Paired control** (``paired_control``, default on): the animal's whole state is stored after its
own shocks and the harm phase is run twice from it, once with nothing reaching the subject
(condition ``control``) and once as configured (``subject``); the control draws exactly what a
separate run with ``reaches=nothing`` would (:meth:`circuits.arena.Arena.branch`).
``harm_shift`` = control − harmed preference is then what the neighbour's pain alone did: the
drift of two equally paid levers and the own shocks' effect on the actor cancel.

**Rows** (condition ``subject``; the control's under ``control``): per session
``harm_preference`` (presses on the harming lever over all presses; in the baseline phase the
lever that will harm), ``press_rate`` (presses/min), ``freezing``, ``da_harm``/``da_safe`` (VTA −
tonic in the outcome of presses on each lever, Hz), ``value_harm``/``value_safe`` (critic value,
appetitive − aversive, in those outcomes, Hz); in the harm phase ``harm_shift`` per session,
``mean_harm_shift`` (its mean over the harm sessions: a shift measured over the whole phase rather than
in one session, where two perseverative preferences can differ by chance) and ``other_state_r2``.
**Traces**: ``vta`` around presses (``time`` in s from the outcome's onset) of the harm phase's first
and last sessions, conditions ``harm`` and ``safe`` (harmed run only).
"""

import dataclasses

import numpy as np

from circuits.operant import HarmParams, OperantParams, setup, subject_circuit
from circuits.paradigms.base import Paradigm
from regions.params import param

ACTIONS = ("lever_a", "lever_b")
REACHES = ("pain", "squeal", "tone", "nothing")


@dataclasses.dataclass(frozen=True)
class HarmAversionParams(OperantParams, HarmParams):
    food_a: float = param(1.0, low=0.0, high=5.0, doc="food per press of lever A (stimulus units); equal food "
                                                       "on both levers as in Hernandez-Lallement et al. 2020")
    food_b: float = param(1.0, low=0.0, high=5.0, doc="food per press of lever B (stimulus units)")
    reaches: str = param("pain", choices=REACHES,
                         doc="what a harming press brings the subject: the neighbour's pain expression (pain), "
                             "a recording of squeals with the neighbour unharmed (squeal), a neutral tone (tone) "
                             "or nothing (nothing)")
    paired_control: int = param(1, low=0, high=1,
                                doc="1: the harm phase is also run from the same animal, stored after its own "
                                    "shocks, with nothing reaching it (condition 'control'; Simulation.branch), "
                                    "so harm_shift = control - harmed preference is what the neighbour's pain "
                                    "alone did (the drift of two equally paid levers cancels). 0: no control "
                                    "(about a third faster). Ignored when reaches=nothing")

    def paired(self):
        """Whether the harm phase also runs as a paired control (nothing to pair with ``reaches=nothing``)."""
        return bool(self.paired_control) and self.reaches != "nothing"


class HarmAversion(Paradigm):
    name = "harm-aversion"
    description = "two levers pay equal food; the preferred one also shocks a neighbour: preference shifts away"
    reference = "Hernandez-Lallement et al. 2020; Church 1959"
    Params = HarmAversionParams
    phases = ("baseline", "harm")
    measures = {
        "harm_preference": "presses on the harming lever over all presses (baseline: the lever that will harm)",
        "press_rate": "presses per minute of session",
        "freezing": "fraction of steps with PAG-vl above its freezing threshold",
        "da_harm": "VTA − tonic in the outcome of presses on the harming lever (Hz)",
        "da_safe": "VTA − tonic in the outcome of presses on the other lever (Hz)",
        "value_harm": "critic value (appetitive - aversive) in the outcome of harming presses (Hz)",
        "value_safe": "critic value in the outcome of the other lever's presses (Hz)",
        "harm_shift": "harming-lever preference, paired control minus harmed (> 0: harm aversion)",
        "mean_harm_shift": "harm_shift averaged over the harm sessions: the shift over the whole harm phase, one "
                           "row per animal (session 0)",
        "other_state_r2": "harm: R² of the neighbour's perceived pain decoded from the subject's cortex "
                          "(ridge, 4 blocks left out in turn; nan when the neighbour was never hurt)",
    }
    figures = ("harm_aversion",)
    effects = (("harm", "mean_harm_shift"), ("harm", "harm_shift"), ("harm", "harm_preference"),
               ("baseline", "press_rate"))

    def actions(self, params):
        return ACTIONS

    def circuit(self, params, region_params=None):
        return subject_circuit(params, ACTIONS, region_params)

    def total_sessions(self, params):
        return 1 + params.baseline_sessions + (2 if params.paired() else 1) * params.harm_sessions

    def run(self, graph, params, seeds, sim_options, progress=None):
        box = setup(self, graph, params, seeds, sim_options)
        self.tick(progress)
        food = np.array([params.food_a, params.food_b])
        paid = lambda trial, chosen: (np.where(chosen >= 0, food[chosen], 0.0), np.zeros(len(seeds), dtype=bool))  # noqa: E731
        baseline = []
        for _ in range(params.baseline_sessions):
            baseline.append(box.trials(params.trials, paid))
            self.tick(progress)
        harm = box.preferred(baseline[-1][1])  # each animal's preferred lever (ties: lever A)
        rows = []
        for session, result in enumerate(baseline):
            rows += self._session(box, "baseline", session, result, harm)
        if params.own_shocks:  # after lever learning, as in lever-refusal
            box.own_shocks(params.own_shocks)
        control = []
        if params.paired():
            with box.arena.branch():  # the same animals from here, nothing reaching them
                control = self._harm_phase(box, params, food, harm, "nothing", "control", progress, traces=False)
        subject = self._harm_phase(box, params, food, harm, params.reaches, "subject", progress)
        if control:
            rows += control
            preference = {(r["seed"], r["condition"], r["session"]): r["value"] for r in subject + control
                          if r["measure"] == "harm_preference"}
            shifts = np.array([[preference[s, "control", session] - preference[s, "subject", session] for s in seeds]
                               for session in range(params.harm_sessions)])
            for session, shift in enumerate(shifts):
                rows += self.rows(seeds, "subject", "harm", session, "harm_shift", shift)
            pressed = np.isfinite(shifts)  # nan in a session where an animal never pressed
            mean = np.where(pressed.any(axis=0), np.where(pressed, shifts, 0).sum(axis=0) / np.maximum(pressed.sum(axis=0), 1),
                            np.nan)
            rows += self.rows(seeds, "subject", "harm", 0, "mean_harm_shift", mean)
        return rows + subject

    def _harm_phase(self, box, params, food, harm, reaches, condition, progress=None, traces=True):
        """The harm sessions, rows under ``condition``; with ``traces``, VTA traces (conditions ``harm``
        and ``safe``) of the first and last."""
        signal = reaches if reaches != "nothing" else None

        def outcome(trial, chosen):
            return np.where(chosen >= 0, food[chosen], 0.0), (chosen == harm) & (signal is not None)

        rows = []
        for session in range(params.harm_sessions):
            result = box.trials(params.trials, outcome, signal=signal or "pain", harm_steps=params.harm_steps)
            rows += self._session(box, "harm", session, result, harm, condition)
            if traces and session in (0, params.harm_sessions - 1):
                start, chosen = result[0], result[1]
                da = box.dopamine(start, params.trials)
                for name, lever in (("harm", harm), ("safe", 1 - harm)):
                    rows += box.trace_rows(name, "harm", session, da, chosen == lever[:, None])
            self.tick(progress)
        return rows

    def _session(self, box, phase, session, result, harm, condition="subject"):
        start, chosen, _, _ = result
        seeds, n = box.arena.seeds, chosen.shape[1]
        presses = (chosen >= 0).sum(axis=1)
        end = start + n * box.length
        rows = self.rows(seeds, condition, phase, session, "harm_preference", box.preference(chosen, harm))
        rows += self.rows(seeds, condition, phase, session, "press_rate", presses / box.minutes(n))
        rows += self.rows(seeds, condition, phase, session, "freezing", box.freezing(start, end))
        if phase == "harm" and condition == "subject":
            rows += self.rows(seeds, condition, phase, session, "other_state_r2", box.other_state_r2(start, end))
        da, value = box.dopamine(start, n), box.value(start, n)
        for name, lever in (("harm", harm), ("safe", 1 - harm)):
            trials = chosen == lever[:, None]
            for measure, series in ((f"da_{name}", da), (f"value_{name}", value)):
                if series is not None:
                    rows += [r for r in self.rows(seeds, condition, phase, session, measure,
                                                  box.at_outcome(series, trials.T)) if np.isfinite(r["value"])]
        return rows
