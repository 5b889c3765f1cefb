"""The operant box: lever trials, food and an other animal in view, for a cohort in an Arena.

What the operant paradigms share (each paradigm is one module of its own and imports this, not
another): the box's parameters (:class:`BoxParams`; :class:`OperantParams` adds the other, a
recording or live; :class:`HarmParams` a harm test's sessions), the subject's circuit
(:func:`subject_circuit`) and :class:`OperantBox`, which runs trials of every animal of a cohort in
lockstep, each with its own actions and outcomes.

A trial is ``iti_steps`` with the lever retracted, ``response_steps`` with it inserted (the action
is read from the motor thalamus over them, :func:`circuits.readout.chosen`) and ``outcome_steps``
(lever feedback; food when the schedule pays): a discrete-trial version of free-operant pressing,
so a press rate is presses per minute of session. Per step the subject perceives the box (itself
exploring), its own events (pressing, eating, a footshock), the other (moving, and its footshock
frame scaled by its pain) through its scene, and the box's relays (food to the VTA, lever, light,
tone). The other is a recording (``other_mode=playback``: full pain during its shocks) or its own
circuit (``live``: its pain read from its PAG in the step before, :meth:`circuits.arena.Arena.body`).
"""

import dataclasses

import brian2 as b2
import numpy as np

from circuits import readout
from circuits.arena import Animal, Arena, Percept, Sight
from circuits.graph import declare_input
from circuits.lesions import scale_learning
from circuits.paradigms.base import Paradigm
from circuits.protocol import LiveOtherParams, SocialParams
from circuits.scene import SENSES, Scene
from circuits.variants import animal_circuit
from regions.errors import VicariousError
from regions.params import param

#: Relays of the operant box beside the scene's channels: food (reaches the VTA as reward),
#: lever feedback, the house light that signals the other's shocks and a tone (a sound that
#: carries no pain; ``harm-aversion``'s control).
BOX_CHANNELS = ("food", "lever", "light", "tone")
#: The operant box's scene (the subject, the other, the lever) drives the world-model cortex
#: broadly: ~410 Hz of summed cortical rate against ~250 Hz for cue-conditioning's cue in the
#: default circuit, which raises every MSN's drive by ~10 Hz (cortex -> striatum weight 0.15 x
#: mean w 0.4 x 160 Hz). The MSN down-state threshold (Wilson & Kawaguchi 1996: MSNs need
#: convergent cortical input to fire) is raised by the same amount, so that the untrained actor
#: starts where cue-conditioning's does (see docs/calibration.md).
MSN_THRESHOLD = 12 * b2.Hz
#: The actor (cortex -> D1/D2) learns at 0.2 of the circuit's rate in the box: a small
#: stochastic-approximation step averages the dopamine over several trials (Sutton & Barto 2018,
#: ch. 2), so pressing is learnt over sessions rather than within the first one.
ACTOR_LEARNING = 0.2
#: The declared input by which the box retracts the lever (see :func:`subject_circuit`).
RETRACTED = "lever_retracted"


@dataclasses.dataclass(frozen=True)
class BoxParams(SocialParams):
    """The box and the subject's history in it: its own shocks, the lever's schedule and a trial's steps."""

    own_shocks: int = param(10, low=0, high=1000,
                            doc="footshocks the subject receives itself (0 = none). Church (1959): pre-shocked "
                                "rats suppressed more; Atsak et al. (2011): rats need prior shock experience to "
                                "react to a cagemate's distress")
    shock_steps: int = param(10, low=1, high=100, doc="steps an own footshock lasts (0.5 s)")
    shock_iti_steps: int = param(20, low=1, high=1000, doc="steps before each own footshock")
    ratio: int = param(1, low=1, high=50,
                       doc="fixed ratio: every ratio-th press is paid (1 = continuous reinforcement, how rats "
                           "are first shaped to press; Skinner 1938)")
    iti_steps: int = param(4, low=1, high=100,
                           doc="steps with the lever retracted before each trial: discrete-trial lever pressing "
                               "with a retractable lever, each insertion a chance to press")
    response_steps: int = param(8, low=2, high=100, doc="steps the lever is inserted (the action is the motor "
                                                        "channel above threshold over them, as in cue-conditioning)")
    outcome_steps: int = param(4, low=1, high=100, doc="steps of a trial's outcome (lever feedback, food)")


@dataclasses.dataclass(frozen=True)
class OperantParams(BoxParams, LiveOtherParams):
    """What ``lever-refusal`` and ``harm-aversion`` share: the box and the other, a recording or live."""

    other_mode: str = param("playback", choices=("live", "playback"),
                            doc="playback (a fixed recording: full pain while shocked, moving otherwise) or "
                                "live (its own circuit, perceived through its PAG's state)")


@dataclasses.dataclass(frozen=True)
class HarmParams(BoxParams):
    """A harm test (Hernandez-Lallement et al. 2020): two levers pay equal food until one is preferred; then
    the preferred one also shocks a neighbour."""

    trials: int = param(40, low=1, high=10000, doc="trials of a session")
    baseline_sessions: int = param(3, low=1, high=200, doc="sessions before the preferred lever starts to harm "
                                                           "(until a preference forms)")
    harm_sessions: int = param(4, low=1, high=200, doc="sessions in which the preferred lever harms the neighbour")
    harm_steps: int = param(8, low=1, high=1000,
                            doc="steps the neighbour's shock (or squeal, or tone) lasts from the outcome's onset: "
                                "0.4 s, until the lever returns (outcome + ITI), about as long as the subject's "
                                "own footshocks (shock_steps)")

    def __post_init__(self):
        super().__post_init__()
        if self.harm_steps > self.outcome_steps + self.iti_steps:
            raise VicariousError(f"paradigm.harm_steps = {self.harm_steps} is out of range; allowed: [1, "
                                 f"outcome_steps + iti_steps = {self.outcome_steps + self.iti_steps}] (the harm "
                                 "ends when the lever returns)")


def subject_circuit(params, actions, region_params=None, markers=0):
    """The subject: :func:`~circuits.variants.animal_circuit` with the scene's and the box's channels,
    and the declared input :data:`RETRACTED` to its motor thalamus.

    While the lever is retracted the press channels lose their tonic drive: an action is selected
    among those the scene affords (Cisek 2007; Cisek & Kalaska 2010), so with no lever there is no
    press to prepare and a trial's press does not carry over into the next one.
    """
    channels = Scene(0, params.sense_list(), markers=markers).channels() + tuple((c, 4) for c in BOX_CHANNELS)
    region_params = dict(region_params or {})
    region_params["dorsal_striatum"] = {"threshold": MSN_THRESHOLD} | dict(region_params.get("dorsal_striatum", {}))
    graph = animal_circuit(channels, actions=actions, params=region_params)
    for key in ("cortex_to_d1", "cortex_to_d2"):
        graph = scale_learning(graph, key, ACTOR_LEARNING)
    return declare_input(graph, RETRACTED, "motor_thalamus", "motor",
                         "the lever is retracted: the press channels lose their tonic drive (an affordance)")


class OperantBox:
    """Every animal of a cohort in its box; trials of response + outcome, in lockstep."""

    def __init__(self, arena, params, actions):
        self.arena, self.p, self.actions = arena, params, tuple(actions)
        self.marker = None  # the group marker the other wears (one per animal; None: none)
        self.similarity = Scene.similarity(params.target())
        self.live = arena.has("other", "pag")
        self.presses = np.array([a != "explore" for a in self.actions])
        self.length = params.iti_steps + params.response_steps + params.outcome_steps
        self.paused = {}  # which channels pause -> the declared input that takes their tonic drive
        if arena.has("subject", "motor_thalamus"):
            tonic = float(arena.region("subject", "motor_thalamus").params.tonic)
            self.paused = {"press": np.where(self.presses, -tonic, 0.0), "all": np.full(len(self.actions), -tonic)}
        self.perceived = {}  # step -> the other's pain expression each subject perceived (animals)

    # -- perception ---------------------------------------------------------------------------
    def moment(self, own=(), other_pain=0.0, seen=True, relays=None, squeal=False, paused=None, context=None):
        """The percepts of one step. ``own``: (event, x per animal) the subject undergoes; ``seen``: whether
        the other is in view (``"sight"``: a still image of it, as a toy rat is: no sound, smell or pain); ``other_pain``
        (per animal, in [0, 1]): the nociceptive drive of the other (1: a footshock); ``squeal`` (per
        animal): a recording of the other's squeals is played, the other itself unharmed; ``paused``
        (``"press"``, ``"all"`` or None) names the motor channels that lose their tonic drive (see :meth:`trials`);
        ``context`` (an event name) replaces the box's surroundings (:class:`circuits.arena.Percept`)."""
        n = self.arena.n
        other_pain = np.broadcast_to(np.asarray(other_pain, dtype=float), (n,))
        squeal = np.broadcast_to(squeal, (n,))
        if not seen or seen == "sight":
            pain = np.zeros(n)
        elif self.live:
            pain = np.where(squeal, 1.0, self.arena.body("other")[0])
        else:
            pain = np.where(squeal, 1.0, other_pain)
        self.perceived[self.arena.steps_done] = pain
        sights = [Sight(event, x=x) for event, x in own] + [Sight("exploring")]
        if seen == "sight":
            sights += [Sight("exploring", self.similarity, sense="sight")]
        elif seen:
            sights += [Sight("exploring", self.similarity, marker=self.marker),
                       Sight("footshock", self.similarity, pain * ~squeal, marker=self.marker),
                       Sight("footshock", self.similarity, pain * squeal, sense="sound")]
        shocked = any(event == "footshock" for event, _ in own)
        inputs = {RETRACTED: self.paused[paused]} if paused and self.paused else {}
        out = {"subject": Percept(tuple(sights), nociception=1.0 if shocked else None, relays=relays or {},
                                  inputs=inputs, context=context)}
        if self.live:
            theirs = [Sight("footshock", x=other_pain), Sight("exploring")]
            if seen:
                subject_pain = self.arena.body("subject")[0]
                theirs += [Sight("exploring", "cagemate"), Sight("footshock", "cagemate", subject_pain)]
            out["other"] = Percept(tuple(theirs), nociception=np.where(other_pain > 0, other_pain, np.nan))  # NaN: unhurt
        return out

    # -- phases -------------------------------------------------------------------------------
    def own_shocks(self, n, context=None):
        """``n`` footshocks to the subject alone: no lever, no other, the box's arena context (``context``: the
        surroundings of that event instead, e.g. ``"footshock"``, a grid floor elsewhere).

        With no lever there is no press to prepare (as in the ITI): with the last action held, the
        shocks' dopamine dips would potentiate its D2 synapses and punish a lever in a chamber that has none.
        """
        p = self.p
        period = p.shock_iti_steps + p.shock_steps
        return self.arena.run(n * period, lambda t: self.moment(
            own=(("footshock", 1.0),) if t % period >= p.shock_iti_steps else (), seen=False, paused="press",
            context=context))

    def trials(self, n, outcome, light=None, pain=None, signal="pain", harm_steps=None, seen=True, touch=None,
               pause="press"):
        """Run ``n`` trials; return (first step, chosen actions, food, harm), each animals x trials
        (chosen: action index, :data:`circuits.readout.NONE` for none).

        ``outcome(trial, chosen) -> (food, harm)`` per animal: harm is what ``signal`` says (``pain``:
        the other is shocked; ``squeal``: a recording of its squeals; ``tone``: a neutral tone) for
        ``harm_steps`` from the outcome's onset (default ``outcome_steps``; at most until the lever
        returns). ``light(trial)``, ``pain(trial)`` (the other's nociceptive drive throughout the trial, in
        [0, 1], one value or one per animal, read every step) and ``touch(trial)`` (the other grooming the
        subject, per animal) default to off; ``seen`` is as in :meth:`moment`; ``pause`` says which motor channels lose
        their tonic drive in the ITI: ``"press"`` (the lever is retracted: nothing to press) or ``"all"`` (the
        manipulandum stays, a door, its relay always on; the animal pauses between bouts, so no action carries
        over from one trial into the next).
        """
        p, arena, N = self.p, self.arena, self.arena.n
        length, start = self.length, arena.steps_done
        chosen = np.full((N, n), readout.NONE)
        food, hurt = np.zeros((N, n)), np.zeros((N, n), dtype=bool)
        response = range(p.iti_steps, p.iti_steps + p.response_steps)
        outcome_start = response.stop
        harm_steps = p.outcome_steps if harm_steps is None else harm_steps
        motor = arena.has("subject", "motor_thalamus")
        threshold = float(arena.region("subject", "motor_thalamus").params.act_threshold) if motor else 0.0

        def moment(t):
            trial, within = divmod(t, length)
            if within == outcome_start and motor:
                first = start + trial * length
                window = arena.rates("subject", "motor_thalamus", start=first + response.start,
                                     stop=first + response.stop).mean(axis=0)
                chosen[:, trial] = readout.chosen(window, threshold)
                food[:, trial], hurt[:, trial] = outcome(trial, chosen[:, trial])
            relays = {"light": 1.0 if light and light(trial) else 0.0}
            own = ()
            if pause == "all" or within in response:  # inserted (a manipulandum that stays is always on)
                relays["lever"] = 1.0
            if within >= outcome_start:
                pressed = (chosen[:, trial] >= 0) & self.presses[chosen[:, trial]]
                relays["lever"] = (pressed | (pause == "all")).astype(float)
                relays["food"] = food[:, trial]
                own = (("pressing", pressed.astype(float)), ("eating", (food[:, trial] > 0).astype(float)))
            if touch:
                own += (("groomed", np.asarray(touch(trial), dtype=float)),)
            if within >= outcome_start:
                harmed = hurt[:, trial] & (within - outcome_start < harm_steps)
            elif trial > 0 and within < p.iti_steps:
                harmed = hurt[:, trial - 1] & (length - outcome_start + within < harm_steps)
            else:
                harmed = np.zeros(N, dtype=bool)
            level = np.maximum(pain(trial) if pain else 0.0, harmed & (signal == "pain"))
            relays["tone"] = (harmed & (signal == "tone")).astype(float)
            return self.moment(own=own, other_pain=level, seen=seen, relays=relays,
                               squeal=harmed & (signal == "squeal"),
                               paused=pause if within < p.iti_steps else None)

        arena.run(n * length, moment)
        return start, chosen, food, hurt

    # -- reading ------------------------------------------------------------------------------
    def blocks(self, start, n_trials, region, pop=None):
        """Trials x steps x animals x units of ``region`` over ``n_trials`` trials from step ``start``."""
        history = self.arena.history(start, start + n_trials * self.length)
        return self.arena.rates("subject", region, pop, history=history.reshape(n_trials, self.length, -1))

    def freezing(self, start, stop):
        """Per animal, the fraction of steps ``[start, stop)`` it froze."""
        if not self.arena.has("subject", "pag"):
            return np.zeros(self.arena.n)
        vl = self.arena.rates("subject", "pag", "vl", start, stop)
        return readout.freezing(vl, self.arena.freeze_threshold("subject"))

    def other_state_r2(self, start, stop, folds=4):
        """Per animal, R² of a ridge read-out of the other's perceived pain from the subject's cortex over
        steps ``[start, stop)``, leaving one of ``folds`` contiguous blocks out at a time (nan when the
        pain never varied): how well the subject models the other, whatever it feels."""
        n = (stop - start) // folds * folds
        pain = np.array([self.perceived.get(k, np.zeros(self.arena.n)) for k in range(start, start + n)])
        history = self.arena.history(start, start + n)
        code = np.concatenate([self.arena.rates("subject", c, history=history) for c in self.arena.cortex("subject")],
                              axis=2)
        return [readout.readout_r2(code[:, i], pain[:, i:i + 1], folds) if n and np.ptp(pain[:, i]) else float("nan")
                for i in range(self.arena.n)]

    def dopamine(self, start, n_trials):
        """VTA − tonic per trial and step (trials x steps x animals), or None without a VTA."""
        if not self.arena.has("subject", "vta"):
            return None
        return readout.dopamine(self.blocks(start, n_trials, "vta"), self.arena.tonic_dopamine("subject"))

    def value(self, start, n_trials):
        """The critic's value per trial and step (trials x steps x animals), or None without one."""
        if not self.arena.has("subject", "ventral_striatum"):
            return None
        return readout.value(self.blocks(start, n_trials, "ventral_striatum", "appetitive"),
                             self.blocks(start, n_trials, "ventral_striatum", "aversive"))

    def trace_rows(self, condition, phase, session, da, trials):
        """Rows of each animal's mean VTA trace over its ``trials`` (mask, animals x trials), ``time`` 0 at
        the outcome's onset; animals without such a trial have none."""
        if da is None:
            return []
        rows = []
        times = (np.arange(self.length) - self.p.iti_steps - self.p.response_steps) * float(self.p.step)
        for i, seed in enumerate(self.arena.seeds):
            if trials[i].any():
                for time, value in zip(times, da[trials[i], :, i].mean(axis=0)):
                    rows.append({"seed": seed, **Paradigm.row(condition, phase, session, "vta", value), "time": float(time)})
        return rows

    def at_outcome(self, series, trials):
        """Per animal, the mean of ``series`` (trials x steps x animals) over the outcome steps of the trials in
        ``trials`` (mask, trials x animals); nan for an animal without one."""
        return readout.over_trials(series[:, self.length - self.p.outcome_steps:], trials)

    @staticmethod
    def preference(chosen, lever):
        """Per animal, presses of ``lever`` (an action index per animal) over all its presses in ``chosen``
        (animals x trials); nan for an animal that never pressed."""
        presses = (chosen >= 0).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(presses > 0, (chosen == lever[:, None]).sum(axis=1) / presses, np.nan)

    def preferred(self, chosen):
        """Per animal, the action chosen most often in ``chosen`` (animals x trials; ties: the first)."""
        return np.argmax([(chosen == a).sum(axis=1) for a in range(len(self.actions))], axis=0)

    def minutes(self, n_trials):
        return n_trials * self.length * float(self.p.step) / 60.0


def setup(paradigm, graph, params, seeds, sim_options):
    """The box with every seed's subject (``graph``, lesioned) and, live, an intact other; developed."""
    other = animal_circuit(Scene(0).channels(), actions=("press", "explore")) if params.live() else None
    animals = {"subject": Animal(graph, params.sense_list(), noise=params.scene_noise, salt=0),
               "other": Animal(other, SENSES, noise=params.scene_noise, salt=1)}
    arena = Arena(animals, seeds, sim_options, params.step, params.stimulus)
    arena.develop(params.development_events, "cagemate", params.p_together, adult=params.adult_cortex_learning)
    return OperantBox(arena, params, paradigm.actions(params))
