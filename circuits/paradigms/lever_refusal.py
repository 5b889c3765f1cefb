"""``lever-refusal``: a rat stops pressing for food while a neighbour in view is shocked.

After Church (1959), "Emotional reactions of rats to the pain of others": rats trained to
press a lever for food pressed less while a light signalled that a rat in the next
compartment was being shocked, and more so if they had been shocked themselves.

The subject (:func:`circuits.operant.subject_circuit`; actions ``press`` and ``explore``) lives
in an operant box (:class:`circuits.operant.OperantBox`): trials of lever insertion and outcome,
food on a fixed-ratio schedule, the other animal (the neighbour) in view.

**Phases**

0. *development* — the subject lives its own life with a cagemate (as in
   ``mirror-emergence``/``shock-observation``); only thalamocortical synapses learn, so the
   amygdala and the striatum start naive.
1. *training* — ``training_days`` daily sessions of pressing for food on a fixed-ratio
   schedule, the neighbour in view and unharmed.
2. *own_shocks* — ``own_shocks`` footshocks (0 allowed) away from the lever and the neighbour:
   the only place its amygdala and its reward model (the striatal pain model), both taught by
   PAG, learn what pain looks like in its cortex (after training: before it, they left the
   untrained actor in a general NoGo). The subject's own frames keep the box's arena context
   there (``shock-observation`` moves its observer to the grid floor's), so the suppression sums
   the neighbour's pain with fear of the place where the subject was shocked (see
   docs/calibration.md).
3. *test* — ``test_days`` sessions of ``periods`` blocks: ``period_trials`` trials before the
   light (A), then ``period_trials`` trials with the light on while the neighbour is
   shocked (B; ``other_shocked=0``: the light alone, Church's control group), then
   ``iti_trials`` trials of recovery. Pressing and food go on throughout.

The neighbour's pain reaches the subject only as a scene: the other's footshock frame
(:meth:`circuits.scene.Scene.frame` with the neighbour as target, through the subject's
``senses``) scaled by its intensity. It is a fixed recording (``other_mode=playback``:
full pain during its shocks, moving otherwise) or its own circuit (``live``). Suppression is
not written anywhere: the neighbour's shocks do not depend on pressing, so it is a conditioned
emotional response (Estes & Skinner 1941): the subject's amygdala reads the neighbour's pain
code as a threat (BLA -> CeA -> PAG-vl) and freezing leaves no time to press (Bouton & Bolles
1980). The reward model also reads the pain
(a lower value of the box during the light), but pressing still pays, so it does not teach
the actor to stop.

**Rows** (condition ``subject``): per day ``press_rate`` (presses/min), ``freezing``,
``da_food`` (phase training and test); in the test phase ``suppression_ratio`` = B/(A+B)
(0.5: no change; 0: full suppression), ``press_rate_pre``/``press_rate_light``,
``freezing_pre``/``freezing_light``, ``value_pre``/``value_light`` (critic, Hz),
``da_pre``/``da_light`` (VTA − tonic, Hz). **Traces**: ``vta`` (VTA − tonic, Hz) around
paid presses (``time`` in s from the outcome's onset), first and last training day
(condition ``subject``) and test presses before and during the light (conditions ``pre``,
``light``).
"""

import dataclasses

import numpy as np

from circuits import readout
from circuits.operant import OperantParams, setup, subject_circuit
from circuits.paradigms.base import Paradigm
from regions.params import param


@dataclasses.dataclass(frozen=True)
class LeverRefusalParams(OperantParams):
    training_days: int = param(6, low=1, high=200, doc="daily sessions of pressing for food before the test "
                                                      "(Church 1959 trained to a stable rate)")
    trials: int = param(60, low=1, high=10000, doc="trials of a training session")
    test_days: int = param(2, low=1, high=100, doc="test sessions (light + neighbour shocked)")
    periods: int = param(3, low=1, high=100, doc="light periods per test session")
    period_trials: int = param(8, low=1, high=1000,
                               doc="trials of the pre-light period A and of the light period B (equal, as for a "
                                   "suppression ratio; Church 1959; Estes & Skinner 1941)")
    iti_trials: int = param(8, low=0, high=1000, doc="trials after each light period before the next A")
    food: float = param(1.0, low=0.0, high=5.0, doc="food per paid press (a pellet), in units of the stimulus drive")
    other_shocked: int = param(1, low=0, high=1,
                               doc="1: the neighbour is shocked during the light; 0: the light alone "
                                   "(Church 1959's control)")


class LeverRefusal(Paradigm):
    name = "lever-refusal"
    description = "a rat pressing for food stops while a neighbour in view is shocked: press rate, suppression ratio"
    reference = "Church 1959; Estes & Skinner 1941; Atsak et al. 2011"
    Params = LeverRefusalParams
    phases = ("training", "own_shocks", "test")
    measures = {
        "press_rate": "presses per minute of session",
        "suppression_ratio": "test: B/(A+B), presses during the light (neighbour shocked) over presses before and "
                             "during it; 0.5 = no change, 0 = full suppression",
        "press_rate_pre": "test: presses per minute before the light (A)",
        "press_rate_light": "test: presses per minute during the light (B)",
        "freezing": "fraction of steps with PAG-vl above its freezing threshold",
        "freezing_pre": "test: freezing before the light", "freezing_light": "test: freezing during the light",
        "value_pre": "test: critic value (appetitive - aversive) before the light (Hz)",
        "value_light": "test: critic value during the light (Hz)",
        "da_pre": "test: VTA − tonic before the light (Hz)", "da_light": "test: VTA − tonic during the light (Hz)",
        "da_food": "VTA − tonic in the outcome of paid presses (Hz)",
    }
    figures = ("lever_refusal",)
    effects = (("test", "suppression_ratio"), ("training", "press_rate"))

    def actions(self, params):
        return ("press", "explore")

    def circuit(self, params, region_params=None):
        return subject_circuit(params, self.actions(params), region_params)

    def total_sessions(self, params):
        return 1 + params.training_days + params.test_days

    def run(self, graph, params, seeds, sim_options, progress=None):
        box = setup(self, graph, params, seeds, sim_options)
        rows = []
        self.tick(progress)
        press = self.actions(params).index("press")
        count = np.zeros(len(seeds), dtype=int)

        def pay(trial, chosen):  # a fixed-ratio schedule: every ratio-th press is paid
            pressed = chosen == press
            count[:] += pressed
            return np.where(pressed & (count % params.ratio == 0), params.food, 0.0), np.zeros(len(seeds), dtype=bool)

        for day in range(params.training_days):
            start, chosen, food, _ = box.trials(params.trials, pay)
            rows += self._day(box, "training", day, start, chosen, food)
            if day in (0, params.training_days - 1):
                rows += box.trace_rows("subject", "training", day, box.dopamine(start, params.trials), food > 0)
            self.tick(progress)
        if params.own_shocks:
            start = box.own_shocks(params.own_shocks)
            rows += self.rows(seeds, "subject", "own_shocks", 0, "freezing", box.freezing(start, box.arena.steps_done))
        cycle = 2 * params.period_trials + params.iti_trials
        light = lambda trial: params.period_trials <= trial % cycle < 2 * params.period_trials  # noqa: E731
        pain = (lambda trial: bool(params.other_shocked) and light(trial))  # noqa: E731
        for day in range(params.test_days):
            n = params.periods * cycle
            start, chosen, food, _ = box.trials(n, pay, light=light, pain=pain)
            rows += self._day(box, "test", day, start, chosen, food)
            rows += self._suppression(box, day, start, chosen, food, light, cycle)
            self.tick(progress)
        return rows

    def _day(self, box, phase, day, start, chosen, food):
        seeds, n = box.arena.seeds, chosen.shape[1]
        presses = (chosen == self.actions(box.p).index("press")).sum(axis=1)
        rows = self.rows(seeds, "subject", phase, day, "press_rate", presses / box.minutes(n))
        rows += self.rows(seeds, "subject", phase, day, "freezing", box.freezing(start, box.arena.steps_done))
        da = box.dopamine(start, n)
        if da is not None:
            values = box.at_outcome(da, (food > 0).T)
            rows += [r for r in self.rows(seeds, "subject", phase, day, "da_food", values) if np.isfinite(r["value"])]
        return rows

    def _suppression(self, box, day, start, chosen, food, light, cycle):
        p, seeds, n = box.p, box.arena.seeds, chosen.shape[1]
        pressed = chosen == self.actions(p).index("press")
        pre = np.array([i % cycle < p.period_trials for i in range(n)])
        lit = np.array([light(i) for i in range(n)])
        a, b = pressed[:, pre].sum(axis=1), pressed[:, lit].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(a + b > 0, b / (a + b), np.nan)
        rows = self.rows(seeds, "subject", "test", day, "suppression_ratio", ratio)
        rows += self.rows(seeds, "subject", "test", day, "press_rate_pre", a / box.minutes(pre.sum()))
        rows += self.rows(seeds, "subject", "test", day, "press_rate_light", b / box.minutes(lit.sum()))
        da, value = box.dopamine(start, n), box.value(start, n)
        for name, trials in (("pre", pre), ("light", lit)):
            mask = np.broadcast_to(trials[:, None], (n, len(seeds)))  # the same trials for every animal
            if box.arena.has("subject", "pag"):
                vl = box.blocks(start, n, "pag", "vl")[trials]
                freeze_at = box.arena.freeze_threshold("subject")
                rows += self.rows(seeds, "subject", "test", day, f"freezing_{name}",
                                  readout.freezing(vl, freeze_at, axis=(0, 1)))
            if value is not None:
                rows += self.rows(seeds, "subject", "test", day, f"value_{name}", readout.over_trials(value, mask))
            if da is not None:
                rows += self.rows(seeds, "subject", "test", day, f"da_{name}", readout.over_trials(da, mask))
            rows += box.trace_rows(name, "test", day, da, (food > 0) & trials)
        return rows
