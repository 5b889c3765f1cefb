"""``trapped-cagemate``: a free rat learns, over daily sessions, to open a restrainer that holds its cagemate.

After Ben-Ami Bartal, Decety & Mason (2011), "Empathy and pro-social behavior in rats": a free
rat in an arena with a restrainer holding a distressed cagemate came, over 12 daily sessions, to
open the restrainer's door, sooner each day, although nothing but the release followed; with an
empty restrainer or one holding a toy rat it did not, and it still opened when the released
cagemate went into a separate compartment (no social contact after opening).

**The animals** (one cohort, :class:`circuits.arena.Arena`): the free animal (``subject``: the
operant subject of :func:`circuits.operant.subject_circuit`, actions ``open`` and ``explore``)
and the trapped animal (``other``: its own circuit, ``other_mode=live``; or a recording,
``playback``). Restraint drives the trapped animal's nociceptors at ``distress`` (restraint is a
stressor that raises corticosterone and alarm calls in rats; Bartal 2011 recorded the trapped
rats' 22 kHz calls), so its pain expression, read from its PAG each step, rises while it is
restrained and falls once it is out.

**Time** is compressed as in the other operant paradigms: a session is ``trials`` bouts of
``iti_steps`` + ``response_steps`` + ``outcome_steps`` scene steps (1 s at the defaults), in each
of which the free animal does one thing: ``open`` (works at the door) or ``explore`` (anything
else), or nothing while it freezes. Between bouts it pauses (every motor channel loses its
tonic drive in the ITI), so no action carries over into the next bout. The door is heavy: it
opens after ``door`` bouts in a row at it, which an animal choosing at random seldom strings
together. The door is always there (the box's ``lever`` relay stays on; working at it is the
animal's own ``pressing``). In Bartal 2011 the experimenter opened the door of a rat that had not
opened it by 40 min; here the cagemate is freed after the session, outside the simulated time, so
the release reaches the free animal only through its own act (a release by the experimenter
would reward whatever the free animal happened to be doing). Released ``together``, the cagemate
then grooms the free animal (``touch``) for the rest of the session; ``separated``, it is only seen.

**Phases**: *development* (a life with a cagemate; only the cortex learns), *own_shocks*
(``own_shocks`` footshocks of the free animal alone, on a grid floor elsewhere: its history of pain,
which its striatal pain model and its amygdala learn from), *sessions* (``days`` daily sessions).

Nothing tells the free animal that opening is good. Its striatal pain model, taught only by its
own nociception, reads the cagemate's distress (coded in the ACC/insula like its own pain) as
pain, so while the cagemate is trapped the reward is negative and the critic learns a negative
value of the scene; when the door opens the distress falls and the TD error is positive (relief;
Seymour et al. 2005: relief from pain is a reward-prediction signal in the human striatum), a
dopamine burst that potentiates the D1 synapses of the action still selected, the one that opened
the door (the relief reaches the free animal two steps after the door opens, hence the long
``outcome_steps``). With an empty restrainer or a toy (``restrainer``) nothing follows opening.

**Rows** (condition: the restrainer's content, ``cagemate``, ``empty`` or ``object``; ``cagemate-separated``
for a separated release) per day and animal: ``opened`` (1: the free animal opened the door
itself), ``latency`` (s from the session's start to its opening; the whole session when the
door stayed shut), ``near_restrainer`` (fraction of the bouts before the release spent working at
the door), ``freezing``, ``da_open`` and ``value_open`` (VTA − tonic and critic value,
Hz, over the outcome of the bout in which the door opened), ``distress_before`` and
``distress_after`` (the trapped animal's pain expression as the free animal perceived it, over the
bouts before and after the release; 0 with an empty restrainer or a toy). **Traces**: ``vta``
(VTA − tonic, Hz) around the bout that opened the door, per day (``time`` in s from its outcome).
"""

import dataclasses

import numpy as np

from circuits import readout
from circuits.operant import OperantParams, setup, subject_circuit
from circuits.paradigms.base import Paradigm
from regions.params import param

ACTIONS = ("open", "explore")
RESTRAINERS = ("cagemate", "empty", "object")
RELEASES = ("together", "separated")


@dataclasses.dataclass(frozen=True)
class TrappedCagemateParams(OperantParams):
    other_mode: str = param("live", choices=("live", "playback"),
                            doc="live (the trapped animal's own circuit, its distress read from its PAG) or "
                                "playback (a recording: pain expression at 'distress' while restrained)")
    restrainer: str = param("cagemate", choices=RESTRAINERS,
                            doc="what the restrainer holds: the other animal ('paradigm.other'), nothing (empty) or "
                                "a toy rat (object: seen, never moving or in pain); Bartal et al. 2011's controls")
    release: str = param("together", choices=RELEASES,
                         doc="where the released animal goes: into the arena with the free animal (together) or into "
                             "a separate compartment, seen but not touched (separated; Bartal et al. 2011)")
    distress: float = param(0.5, low=0.0, high=1.0,
                            doc="the trapped animal's nociceptive drive while restrained (1: a footshock)")
    door: int = param(4, low=1, high=100,
                      doc="trials in a row of working at the door that open it: a heavy door (Bartal et al. 2011) "
                          "that an animal choosing at random seldom pushes long enough")
    outcome_steps: int = param(8, low=1, high=100,
                               doc="steps of a trial's outcome (the door's feedback; its opening): long enough "
                                   "that the relief, which reaches the free animal two steps after the door opens "
                                   "(the other's distress, perceived from its previous step, then falls), finds "
                                   "the action that opened it still selected")
    days: int = param(12, low=1, high=100, doc="daily sessions (Bartal et al. 2011: 12)")
    trials: int = param(25, low=1, high=10000, doc="bouts of a daily session (1 s each at the defaults)")


class TrappedCagemate(Paradigm):
    name = "trapped-cagemate"
    description = "a free rat learns over days to open a restrainer holding its distressed cagemate"
    reference = "Ben-Ami Bartal, Decety & Mason 2011"
    Params = TrappedCagemateParams
    phases = ("own_shocks", "sessions")
    seeds = 24  # free animals: rodent studies of the paradigm use 20-30 per condition (Bartal et al. 2011: 30)
    measures = {
        "opened": "1 if the free animal opened the door itself in the session, else 0",
        "latency": "s from the session's start to the door's opening (the session's length when it stayed shut)",
        "near_restrainer": "fraction of bouts before the release spent working at the door",
        "freezing": "fraction of steps with PAG-vl above its freezing threshold",
        "da_open": "VTA − tonic over the outcome of the bout in which the door opened (Hz)",
        "value_open": "critic value (appetitive - aversive) over the outcome of that bout (Hz)",
        "distress_before": "the trapped animal's pain expression as perceived (0-1), bouts before the release",
        "distress_after": "the same, bouts after the release (animals whose door opened)",
    }
    figures = ("trapped_cagemate",)
    effects = (("sessions", "opened"), ("sessions", "latency"))

    def actions(self, params):
        return ACTIONS

    def circuit(self, params, region_params=None):
        return subject_circuit(params, ACTIONS, region_params)

    def total_sessions(self, params):
        return 1 + params.days

    def run(self, graph, params, seeds, sim_options, progress=None):
        animal = params.restrainer == "cagemate"
        box = setup(self, graph, dataclasses.replace(params, other_mode=params.other_mode if animal else "playback"),
                    seeds, sim_options)
        seen = {"cagemate": True, "empty": False, "object": "sight"}[params.restrainer]
        together = animal and params.release == "together"
        condition = params.restrainer + ("-separated" if animal and params.release == "separated" else "")
        self.tick(progress)
        n = len(seeds)
        rows = []
        if params.own_shocks:
            start = box.own_shocks(params.own_shocks, context="footshock")  # a grid floor, not the arena
            rows += self.rows(seeds, condition, "own_shocks", 0, "freezing", box.freezing(start, box.arena.steps_done))
        for day in range(params.days):
            door = Door(n, animal, params)
            start, chosen, _, _ = box.trials(params.trials, door.outcome, pain=door.pain, seen=seen,
                                             touch=door.touch if together else None, pause="all")
            rows += self._day(box, condition, day, start, chosen, door.released, params)
            self.tick(progress)
        return rows

    def _day(self, box, condition, day, start, chosen, released, params):
        seeds, n_trials = box.arena.seeds, chosen.shape[1]
        trial_s = box.length * float(params.step)
        by_self = released >= 0
        opened_at = np.where(by_self, released, n_trials)
        latency = np.where(by_self, released + 1, n_trials) * trial_s
        before = np.arange(n_trials)[None, :] < opened_at[:, None]
        attempts = ((chosen == ACTIONS.index("open")) & before).sum(axis=1) / np.maximum(before.sum(axis=1), 1)
        rows = self.rows(seeds, condition, "sessions", day, "opened", by_self.astype(float))
        rows += self.rows(seeds, condition, "sessions", day, "latency", latency)
        rows += self.rows(seeds, condition, "sessions", day, "near_restrainer", attempts)
        rows += self.rows(seeds, condition, "sessions", day, "freezing", box.freezing(start, box.arena.steps_done))
        steps = np.arange(start, start + n_trials * box.length)
        pain = np.array([box.perceived[k] for k in steps]).reshape(n_trials, box.length, -1).mean(axis=1)
        rows += self.rows(seeds, condition, "sessions", day, "distress_before", readout.over_trials(pain, before.T))
        rows += [r for r in self.rows(seeds, condition, "sessions", day, "distress_after",
                                      readout.over_trials(pain, ~before.T)) if np.isfinite(r["value"])]
        opening = (np.arange(n_trials)[:, None] == released[None, :]) & by_self[None, :]
        da = box.dopamine(start, n_trials)
        rows += box.trace_rows(condition, "sessions", day, da, opening.T)
        for measure, series in (("da_open", da), ("value_open", box.value(start, n_trials))):
            if series is not None:
                rows += [r for r in self.rows(seeds, condition, "sessions", day, measure,
                                              box.at_outcome(series, opening))
                         if np.isfinite(r["value"])]
        return rows


class Door:
    """One session's restrainer for every animal of the cohort: whom it holds, and when it opened."""

    def __init__(self, n, animal, params):
        self.params = params
        self.restrained = np.full(n, animal)
        self.released = np.full(n, -1)  # the bout whose outcome opened the door (-1: not yet)
        self.pushed = np.zeros(n, dtype=int)  # bouts in a row at the door

    def outcome(self, trial, chosen):
        """After each bout's response: the door opens after ``door`` bouts in a row at it. No food, no harm."""
        self.pushed = np.where(chosen == ACTIONS.index("open"), self.pushed + 1, 0)
        opens = (self.released < 0) & (self.pushed >= self.params.door)
        self.released[opens] = trial
        self.restrained[opens] = False
        n = len(chosen)
        return np.zeros(n), np.zeros(n, dtype=bool)

    def pain(self, trial):
        return self.restrained * self.params.distress

    def touch(self, trial):
        return self.released >= 0
