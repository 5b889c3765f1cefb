"""``cue-conditioning``: the small built-in paradigm that proves the core end to end.

Each trial a cue comes on for ``cue_steps`` and goes off when the outcome comes (trace-free
delay conditioning: no gap). A **light** trial pays food if the subject presses the lever
during the cue (instrumental; the action is read from the motor thalamus); a **tone**
trial ends in an unavoidable footshock (Pavlovian fear conditioning). Over sessions
the circuit should learn, with nothing written into the wiring:

* to press to the light (dopamine-gated D1/D2 learning; Frank 2005),
* to freeze to the tone (amygdala threat prediction taught by PAG; LeDoux 2000),
* to move the dopamine response from the food to the light that predicts it
  (TD learning; Schultz, Dayan & Montague 1997).

Controls where each effect must vanish: the ``amygdala`` lesion (no freezing) and the
``vta`` lesion (no press learning, no dopamine).
"""

import dataclasses

import numpy as np

from circuits import readout
from circuits.arena import Animal, Arena, Percept
from circuits.paradigms.base import Paradigm
from circuits.protocol import ProtocolParams
from regions.params import param

CONDITIONS = ("light", "tone")


@dataclasses.dataclass(frozen=True)
class CueConditioningParams(ProtocolParams):
    sessions: int = param(8, low=1, high=200, doc="training sessions")
    trials: int = param(12, low=1, high=500, doc="trials per session (half light, half tone)")
    iti_steps: int = param(4, low=1, high=100, doc="inter-trial steps (no cue)")
    cue_steps: int = param(8, low=2, high=100, doc="cue steps before the outcome")
    outcome_steps: int = param(4, low=1, high=100, doc="outcome steps (food or shock)")


class CueConditioning(Paradigm):
    name = "cue-conditioning"
    description = "light -> press for food; tone -> footshock: pressing, freezing and dopamine RPE are learnt"
    reference = "Schultz, Dayan & Montague 1997; LeDoux 2000; Frank 2005"
    Params = CueConditioningParams
    phases = ("training",)
    measures = {
        "press_probability": "fraction of trials with a lever press during the cue",
        "freezing": "fraction of cue time with PAG-vl above its freezing threshold",
        "da_cue": "VTA rate minus tonic in the first 100 ms of the cue (Hz)",
        "da_outcome": "VTA rate minus tonic during the outcome (Hz; light: rewarded trials)",
        "bla_cue": "BLA rate during the cue (Hz)",
        "value_cue": "critic value during the cue: appetitive minus aversive ventral-striatal rate (Hz)",
    }
    figures = ("cue_conditioning",)
    effects = (("training", "freezing", "tone"), ("training", "press_probability", "light"), ("training", "bla_cue", "tone"))

    def total_sessions(self, params):
        return params.sessions

    def run(self, graph, params, seeds, sim_options, progress=None):
        arena = Arena({"subject": Animal(graph)}, seeds, sim_options, params.step, params.stimulus)
        rngs = [self.rng(seed) for seed in seeds]
        trial_steps = params.iti_steps + params.cue_steps + params.outcome_steps
        cue = range(params.iti_steps, params.iti_steps + params.cue_steps)
        outcome_start = params.iti_steps + params.cue_steps
        press = self.actions(params).index("press")
        motor = arena.has("subject", "motor_thalamus")
        threshold = float(arena.region("subject", "motor_thalamus").params.act_threshold) if motor else 0.0
        rows = []
        for session in range(params.sessions):
            order = np.array(CONDITIONS * (params.trials // 2) + CONDITIONS[: params.trials % 2])
            kinds = np.array([rng.permutation(order) for rng in rngs]).reshape(len(seeds), params.trials)
            tone = kinds == "tone"  # animals x trials
            pressed = np.zeros(tone.shape, dtype=bool)
            first = arena.steps_done

            def moment(t, tone=tone, pressed=pressed, first=first):
                trial, within = divmod(t, trial_steps)
                if within < params.iti_steps:
                    return {}
                if within < outcome_start:
                    return {"subject": Percept(relays={"tone": tone[:, trial], "light": ~tone[:, trial]})}
                if within == outcome_start and motor:
                    window = arena.rates("subject", "motor_thalamus", start=first + trial * trial_steps + cue.start,
                                         stop=first + trial * trial_steps + cue.stop).mean(axis=0)
                    pressed[:, trial] = readout.chosen(window, threshold) == press
                paid = pressed[:, trial] & ~tone[:, trial]
                return {"subject": Percept(relays={"nociception": tone[:, trial], "food": paid,
                                                   "lever": pressed[:, trial]})}

            arena.run(params.trials * trial_steps, moment)
            blocks = arena.history(first).reshape(params.trials, trial_steps, -1)  # trials x steps x units
            rows += self._measure(arena, params, session, tone, pressed, blocks, cue, outcome_start)
            if session in (0, params.sessions - 1):
                rows += self._traces(arena, params, session, tone, pressed, blocks)
            if progress:
                progress()
        return rows

    def _measure(self, arena, params, session, tone, pressed, blocks, cue, outcome_start):
        """Rows of one session: per trial type, each animal's mean over its trials of that type."""
        seeds, rows = arena.seeds, []
        first_cue = slice(cue.start, cue.start + max(1, int(round(0.1 / float(params.step)))))
        cue = slice(cue.start, cue.stop)
        outcome = slice(outcome_start, blocks.shape[1])

        over = readout.over_trials

        def read(region, pop=None):
            return blocks[:, :, arena.units("subject", region, pop)]  # trials x steps x animals x units

        for kind, mine in (("light", ~tone), ("tone", tone)):
            trials = mine.T  # trials x animals
            if not trials.any():
                continue
            rows += self.rows(seeds, kind, "training", session, "press_probability", over(pressed.T, trials))
            if arena.has("subject", "pag"):
                freeze_at = arena.freeze_threshold("subject")
                frozen = readout.freezing(read("pag", "vl")[:, cue], freeze_at, axis=1)
            else:
                frozen = np.zeros(trials.shape)
            rows += self.rows(seeds, kind, "training", session, "freezing", over(frozen, trials))
            if arena.has("subject", "vta"):
                da = readout.dopamine(read("vta"), float(arena.region("subject", "vta").params.tonic))
                rows += self.rows(seeds, kind, "training", session, "da_cue", over(da[:, first_cue].mean(axis=1), trials))
                paid = trials & (pressed.T if kind == "light" else True)
                if paid.any():
                    values = over(da[:, outcome].mean(axis=1), paid)
                    rows += [r for r in self.rows(seeds, kind, "training", session, "da_outcome", values)
                             if np.isfinite(r["value"])]
            if arena.has("subject", "bla"):
                rows += self.rows(seeds, kind, "training", session, "bla_cue",
                                  over(read("bla")[:, cue].mean(axis=(1, 3)), trials))
            if arena.has("subject", "ventral_striatum"):
                value = readout.value(read("ventral_striatum", "appetitive")[:, cue],
                                      read("ventral_striatum", "aversive")[:, cue]).mean(axis=1)
                rows += self.rows(seeds, kind, "training", session, "value_cue", over(value, trials))
        return rows

    def _traces(self, arena, params, session, tone, pressed, blocks):
        """The VTA around each animal's rewarded light trials and its tone trials (time from cue onset)."""
        if not arena.has("subject", "vta"):
            return []
        da = readout.dopamine(blocks[:, :, arena.units("subject", "vta")], float(arena.region("subject", "vta").params.tonic))
        times = (np.arange(blocks.shape[1]) - params.iti_steps) * float(params.step)
        rows = []
        for kind, trials in (("light", (~tone & pressed).T), ("tone", tone.T)):
            for i, seed in enumerate(arena.seeds):
                if not trials[:, i].any():
                    continue
                for time, value in zip(times, da[trials[:, i], :, i].mean(axis=0)):
                    rows.append({"seed": seed, **self.row(kind, "training", session, "vta", value), "time": float(time)})
        return rows
