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

import brian2 as b2
import numpy as np

from circuits.paradigms.base import Paradigm
from regions.params import Params, param

CONDITIONS = ("light", "tone")


@dataclasses.dataclass(frozen=True)
class CueConditioningParams(Params):
    sessions: int = param(8, low=1, high=200, doc="training sessions")
    trials: int = param(12, low=1, high=500, doc="trials per session (half light, half tone)")
    step: b2.Quantity = param(50 * b2.ms, unit=b2.ms, low=10 * b2.ms, high=500 * b2.ms,
                              doc="scene step: the scene is constant within a step")
    iti_steps: int = param(4, low=1, high=100, doc="inter-trial steps (no cue)")
    cue_steps: int = param(8, low=2, high=100, doc="cue steps before the outcome")
    outcome_steps: int = param(4, low=1, high=100, doc="outcome steps (food or shock)")
    stimulus: b2.Quantity = param(40 * b2.Hz, unit=b2.Hz, low=1 * b2.Hz, high=200 * b2.Hz,
                                  doc="relay drive of an active channel")


class CueConditioning(Paradigm):
    name = "cue-conditioning"
    description = "light -> press for food; tone -> footshock: pressing, freezing and dopamine RPE are learnt"
    reference = "Schultz, Dayan & Montague 1997; LeDoux 2000; Frank 2005"
    Params = CueConditioningParams
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

    def run(self, graph, params, seed, sim_options, progress=None):
        sim = self.simulation(graph, seed, sim_options | {"step": params.step})
        rng = self.rng(seed)
        trial_steps = params.iti_steps + params.cue_steps + params.outcome_steps
        cue = range(params.iti_steps, params.iti_steps + params.cue_steps)
        outcome_start = params.iti_steps + params.cue_steps
        actions = self.actions(params)
        rows = []
        for session in range(params.sessions):
            kinds = np.array(CONDITIONS * (params.trials // 2) + CONDITIONS[: params.trials % 2])
            rng.shuffle(kinds)
            start = sim.steps_done
            pressed = np.zeros(params.trials, dtype=bool)

            def controller(k, kinds=kinds, start=start, pressed=pressed):
                trial, t = divmod(k - start, trial_steps)
                sim.clear_inputs()
                kind = kinds[trial]
                if params.iti_steps <= t < outcome_start:
                    sim.set_input("thalamus", kind, params.stimulus)
                if t == outcome_start:
                    pressed[trial] = _chosen(sim, actions, cue, k - t) == "press"
                if t >= outcome_start:
                    if kind == "tone":
                        sim.set_input("thalamus", "nociception", params.stimulus)
                    elif pressed[trial]:
                        sim.set_input("thalamus", "food", params.stimulus)
                    if pressed[trial]:
                        sim.set_input("thalamus", "lever", params.stimulus)

            sim.run(params.trials * trial_steps, controller)
            rows += self._measure(sim, params, session, kinds, pressed, start, trial_steps, cue, outcome_start)
            if session in (0, params.sessions - 1):
                rows += self._traces(sim, params, session, kinds, pressed, start, trial_steps)
            if progress:
                progress()
        return rows

    def _measure(self, sim, params, session, kinds, pressed, start, trial_steps, cue, outcome_start):
        rows = []
        tonic = float(sim.regions["vta"].params.tonic) if "vta" in sim.regions else 0.0
        freeze_at = float(sim.regions["pag"].params.freeze_threshold) if "pag" in sim.regions else None
        first_cue = slice(cue.start, cue.start + max(1, int(round(0.1 / float(params.step)))))
        outcome = slice(outcome_start, trial_steps)
        for kind in CONDITIONS:
            trials = np.flatnonzero(kinds == kind)
            if not len(trials):
                continue
            blocks = [sim.history[start + i * trial_steps: start + (i + 1) * trial_steps] for i in trials]
            blocks = np.asarray(blocks)  # trials x steps x units
            rows.append(self.row(kind, "training", session, "press_probability", pressed[trials].mean()))
            if freeze_at is not None:
                vl = blocks[:, cue, sim.built.units("pag", "vl")].mean(axis=2)
                rows.append(self.row(kind, "training", session, "freezing", (vl > freeze_at).mean()))
            else:
                rows.append(self.row(kind, "training", session, "freezing", 0.0))
            if "vta" in sim.regions:
                da = blocks[:, :, sim.built.units("vta")].mean(axis=2) - tonic
                rows.append(self.row(kind, "training", session, "da_cue", da[:, first_cue].mean()))
                paid = pressed[trials] if kind == "light" else np.ones(len(trials), dtype=bool)
                if paid.any():
                    rows.append(self.row(kind, "training", session, "da_outcome", da[paid][:, outcome].mean()))
            if "bla" in sim.regions:
                rows.append(self.row(kind, "training", session, "bla_cue", blocks[:, cue, sim.built.units("bla")].mean()))
            if "ventral_striatum" in sim.regions:
                rows.append(self.row(kind, "training", session, "value_cue", self.value(sim, blocks[:, cue])))
        return rows

    def _traces(self, sim, params, session, kinds, pressed, start, trial_steps):
        if "vta" not in sim.regions:
            return []
        tonic = float(sim.regions["vta"].params.tonic)
        step = float(params.step)
        rows = []
        for kind in CONDITIONS:
            trials = [i for i in np.flatnonzero(kinds == kind) if kind == "tone" or pressed[i]]
            if not trials:
                continue
            da = np.mean([sim.rates("vta", start=start + i * trial_steps, stop=start + (i + 1) * trial_steps).mean(axis=1)
                          for i in trials], axis=0) - tonic
            for t, value in enumerate(da):
                row = self.row(kind, "training", session, "vta", value)
                row["time"] = (t - params.iti_steps) * step
                rows.append(row)
        return rows


def _chosen(sim, actions, cue, trial_start):
    """The action whose motor-thalamus channel was above threshold and highest during the cue."""
    if "motor_thalamus" not in sim.regions:
        return None
    motor = sim.rates("motor_thalamus", start=trial_start + cue.start, stop=trial_start + cue.stop).mean(axis=0)
    threshold = float(sim.regions["motor_thalamus"].params.act_threshold)
    best = int(np.argmax(motor))
    return actions[best] if motor[best] > threshold else None
