"""``cue-conditioning``: the small built-in paradigm that proves the core end to end.

Each trial a cue comes on for ``cue_steps`` and goes off when the outcome comes (no gap). A
**light** trial pays a food pellet if the subject presses the lever during the cue
(instrumental; the action is read from the motor thalamus); a **tone** trial ends in an
unavoidable footshock (Pavlovian fear conditioning). Over sessions the circuit should learn,
with nothing written into the wiring:

* to press to the light (dopamine-gated D1/D2 learning; Frank 2005),
* to freeze to the tone (amygdala threat prediction taught by PAG; LeDoux 2000),
* to move the dopamine response from the food to the light that predicts it (TD learning;
  Schultz, Dayan & Montague 1997). The critic's value of the light grows until it predicts
  the pellet; the TD error at the pellet, ``r + gamma V(food) - V(light)``, then falls toward
  zero and the error at the light's onset, ``gamma V(light) - V(ITI)``, carries the burst.

The pellet (and the lever's click) is brief, one step by default: a linear critic reading a
cue code that is constant in time cannot predict each step of a reward that lasts several
steps (it has no clock within the outcome), so a sustained food stream would stay a surprise
however long the training.

A **probe** session follows the training: the same trials, but the food of a fraction
``omission`` of the light trials is withheld. A trained animal that presses and gets nothing
shows a dip in dopamine at the time the food was due (Schultz, Dayan & Montague 1997).

Dopamine responses are read 50-150 ms after the event's step begins (``response_window``):
the VTA reports the TD error of one step during the next (:mod:`regions.vta`), as dopamine
neurons respond 50-110 ms after a cue or reward (Schultz 1998).

Controls where each effect must vanish: the ``amygdala`` lesion (no freezing) and the
``vta`` lesion (no press learning, no dopamine).
"""

import dataclasses

import numpy as np

from circuits import readout
from circuits.arena import Animal, Arena, Percept
from circuits.paradigms.base import Paradigm
from circuits.protocol import ProtocolParams
from regions.errors import VicariousError
from regions.params import param

CONDITIONS = ("light", "tone")
OMITTED = "omitted"  # probe trials: a light whose food is withheld


@dataclasses.dataclass(frozen=True)
class CueConditioningParams(ProtocolParams):
    sessions: int = param(8, low=1, high=200, doc="training sessions")
    trials: int = param(12, low=1, high=500, doc="trials per session (half light, half tone)")
    iti_steps: int = param(4, low=1, high=100, doc="inter-trial steps (no cue)")
    cue_steps: int = param(8, low=2, high=100, doc="cue steps before the outcome")
    outcome_steps: int = param(4, low=1, high=100, doc="outcome steps: the footshock, or the food and what follows it")
    food_steps: int = param(1, low=1, high=100,
                            doc="steps the pellet and the lever's click last: a brief reward, as in the TD account "
                                "of dopamine (Schultz, Dayan & Montague 1997); at most outcome_steps")
    probe_trials: int = param(12, low=0, high=500,
                              doc="trials of the probe session after training, half light and half tone (0: none)")
    omission: float = param(0.5, low=0.0, high=1.0,
                            doc="probe: fraction of the light trials whose food is withheld, pressed or not "
                                "(the omission test of Schultz, Dayan & Montague 1997)")

    def __post_init__(self):
        super().__post_init__()
        if self.food_steps > self.outcome_steps:
            raise VicariousError(f"paradigm.food_steps = {self.food_steps} is out of range; allowed: [1, "
                                 f"outcome_steps = {self.outcome_steps}] (the food comes within the outcome)")


class CueConditioning(Paradigm):
    name = "cue-conditioning"
    description = ("light -> press for food; tone -> footshock: pressing, freezing and the dopamine response "
                   "moving from food to cue are learnt; a probe withholds food")
    reference = "Schultz, Dayan & Montague 1997; LeDoux 2000; Frank 2005"
    Params = CueConditioningParams
    phases = ("training", "probe")
    measures = {
        "press_probability": "fraction of trials with a lever press during the cue",
        "freezing": "fraction of cue time with PAG-vl above its freezing threshold",
        "da_cue": "VTA rate minus tonic 50-150 ms after cue onset (Hz)",
        "da_outcome": "VTA rate minus tonic 50-150 ms after the outcome's onset (Hz; light: trials that pressed "
                      "and got food; omitted: trials that pressed and got none)",
        "bla_cue": "BLA rate during the cue (Hz)",
        "value_cue": "critic value during the cue: appetitive minus aversive ventral-striatal rate (Hz)",
    }
    figures = ("cue_conditioning",)
    effects = (("training", "freezing", "tone"), ("training", "press_probability", "light"), ("training", "bla_cue", "tone"))

    def total_sessions(self, params):
        return params.sessions + (params.probe_trials > 0)

    def run(self, graph, params, seeds, sim_options, progress=None):
        arena = Arena({"subject": Animal(graph)}, seeds, sim_options, params.step, params.stimulus)
        rngs = [self.rng(seed) for seed in seeds]
        sessions = [("training", s, params.trials, 0.0) for s in range(params.sessions)]
        sessions += [("probe", 0, params.probe_trials, params.omission)] if params.probe_trials else []
        rows = []
        for phase, session, n_trials, omission in sessions:
            kinds, pressed, blocks = self._session(arena, params, rngs, n_trials, omission)
            rows += self._measure(arena, params, phase, session, kinds, pressed, blocks)
            if phase == "probe" or session in (0, params.sessions - 1):
                rows += self._traces(arena, params, phase, session, kinds, pressed, blocks)
            self.tick(progress)
        return rows

    def _session(self, arena, params, rngs, n_trials, omission):
        """Run one session; return the trial kinds and presses (animals x trials) and its rates
        (trials x steps x units). In a probe, ``omission`` of each animal's light trials are ``omitted``."""
        trial_steps = params.iti_steps + params.cue_steps + params.outcome_steps
        cue = range(params.iti_steps, params.iti_steps + params.cue_steps)
        outcome_start = cue.stop
        press = self.actions(params).index("press")
        motor = arena.has("subject", "motor_thalamus")
        threshold = float(arena.region("subject", "motor_thalamus").params.act_threshold) if motor else 0.0
        order = np.array(CONDITIONS * (n_trials // 2) + CONDITIONS[: n_trials % 2], dtype=object)
        kinds = np.array([_withhold(rng.permutation(order), omission, rng) for rng in rngs]).reshape(len(rngs), n_trials)
        tone = kinds == "tone"  # animals x trials
        fed = kinds == "light"
        pressed = np.zeros(tone.shape, dtype=bool)
        first = arena.steps_done

        def moment(t):
            trial, within = divmod(t, trial_steps)
            if within < params.iti_steps:
                return {}
            if within < outcome_start:
                return {"subject": Percept(relays={"tone": tone[:, trial], "light": ~tone[:, trial]})}
            if within == outcome_start and motor:
                window = arena.rates("subject", "motor_thalamus", start=first + trial * trial_steps + cue.start,
                                     stop=first + trial * trial_steps + cue.stop).mean(axis=0)
                pressed[:, trial] = readout.chosen(window, threshold) == press
            click = pressed[:, trial] & (within < outcome_start + params.food_steps)
            return {"subject": Percept(relays={"nociception": tone[:, trial], "food": click & fed[:, trial],
                                               "lever": click})}

        arena.run(n_trials * trial_steps, moment)
        return kinds, pressed, arena.history(first).reshape(n_trials, trial_steps, -1)

    def response_window(self, params, event_step):
        """Steps of a dopamine response to an event in step ``event_step``: 50-150 ms after it begins (at the
        default step; the VTA reports a step's error in the next one, and bursts last ~100 ms)."""
        start = event_step + 1
        return slice(start, start + max(1, int(round(0.1 / float(params.step)))))

    def _measure(self, arena, params, phase, session, kinds, pressed, blocks):
        """Rows of one session: per trial kind, each animal's mean over its trials of that kind."""
        seeds, rows = arena.seeds, []
        cue = slice(params.iti_steps, params.iti_steps + params.cue_steps)
        cue_response, outcome_response = self.response_window(params, cue.start), self.response_window(params, cue.stop)
        over = readout.over_trials

        def read(region, pop=None):
            return blocks[:, :, arena.units("subject", region, pop)]  # trials x steps x animals x units

        for kind in CONDITIONS + (OMITTED,):
            trials = (kinds == kind).T  # trials x animals
            if not trials.any():
                continue
            rows += self.rows(seeds, kind, phase, session, "press_probability", over(pressed.T, trials))
            if arena.has("subject", "pag"):
                frozen = readout.freezing(read("pag", "vl")[:, cue], arena.freeze_threshold("subject"), axis=1)
            else:
                frozen = np.zeros(trials.shape)
            rows += self.rows(seeds, kind, phase, session, "freezing", over(frozen, trials))
            if arena.has("subject", "vta"):
                da = readout.dopamine(read("vta"), arena.tonic_dopamine("subject"))
                rows += self.rows(seeds, kind, phase, session, "da_cue", over(da[:, cue_response].mean(axis=1), trials))
                outcome = _with_outcome(kinds, pressed, kind).T
                if outcome.any():
                    values = over(da[:, outcome_response].mean(axis=1), outcome)
                    rows += [r for r in self.rows(seeds, kind, phase, session, "da_outcome", values)
                             if np.isfinite(r["value"])]
            if arena.has("subject", "bla"):
                rows += self.rows(seeds, kind, phase, session, "bla_cue",
                                  over(read("bla")[:, cue].mean(axis=(1, 3)), trials))
            if arena.has("subject", "ventral_striatum"):
                value = readout.value(read("ventral_striatum", "appetitive")[:, cue],
                                      read("ventral_striatum", "aversive")[:, cue]).mean(axis=1)
                rows += self.rows(seeds, kind, phase, session, "value_cue", over(value, trials))
        return rows

    def _traces(self, arena, params, phase, session, kinds, pressed, blocks):
        """The VTA, time from cue onset, around each animal's light trials that pressed (food, or none in
        ``omitted`` probe trials) and its tone trials."""
        if not arena.has("subject", "vta"):
            return []
        da = readout.dopamine(blocks[:, :, arena.units("subject", "vta")], arena.tonic_dopamine("subject"))
        times = (np.arange(blocks.shape[1]) - params.iti_steps) * float(params.step)
        rows = []
        for kind in CONDITIONS + (OMITTED,):
            trials = _with_outcome(kinds, pressed, kind).T
            for i, seed in enumerate(arena.seeds):
                if not trials[:, i].any():
                    continue
                for time, value in zip(times, da[trials[:, i], :, i].mean(axis=0)):
                    rows.append({"seed": seed, **self.row(kind, phase, session, "vta", value), "time": float(time)})
        return rows


def _with_outcome(kinds, pressed, kind):
    """Animals x trials: the trials of ``kind`` whose outcome is read (every tone trial ends in a shock; a
    light trial counts if the animal pressed, for food or, ``omitted``, for none)."""
    return (kinds == kind) & (pressed | (kind == "tone"))


def _withhold(kinds, omission, rng):
    """``kinds`` with ``omission`` of its light trials (chosen at random) marked :data:`OMITTED`."""
    light = np.flatnonzero(kinds == "light")
    kinds = kinds.copy()
    kinds[rng.choice(light, size=int(round(omission * len(light))), replace=False)] = OMITTED
    return kinds
