"""``shock-observation``: emotional contagion — an observer watches a demonstrator being shocked.

Two animals, the subject (the observer) and the other (the demonstrator), each a whole circuit
(:func:`circuits.variants.animal_circuit`), run in an :class:`~circuits.arena.Arena`, every seed's
pair beside the others in one network. Each perceives the other through its own scene
(:mod:`circuits.scene`): every step, what the other *does* is read from the other's circuit in the
step before (:meth:`~circuits.arena.Arena.body`: its pain expression from its PAG's nociceptive
column, its movement from how little it freezes) and mixed into the perceiver's thalamus. So
contagion can flow both ways. With ``other_mode=playback`` the demonstrator is replaced by a fixed
recording: full pain expression during each scheduled shock, full movement otherwise.

**Phases** (after Jeon et al. 2010; Atsak et al. 2011; Carrillo et al. 2019):

0. *development* — each animal lives its own life with a cagemate (as in
   ``mirror-emergence``); only the cortex learns, so the amygdala and striatum start naive.
1. *habituation* — both animals in the apparatus, no shocks; then a ramped nociceptive
   stimulus measures the observer's baseline nociceptive threshold.
2. *own_shocks* — the observer alone, in a shock chamber (the grid-floor context), receives
   ``own_shocks`` footshocks (0 allowed): the only place its amygdala can learn what pain is
   (Atsak et al. 2011: prior shock experience, given in another context, is needed for rats
   to freeze to a cagemate's distress).
3. *observation* (``observation_sessions``) — a baseline period and a ramp (the threshold
   with the demonstrator calm), then the demonstrator receives ``observed_shocks`` footshocks
   in view, and a ramp while it is in pain. The difference is the hyperalgesia of watching
   (Langford et al. 2006), apart from any sensitisation by the observer's own shocks.
4. *test* — the demonstrator is present, not shocked.

Nothing here tells the observer's amygdala about the demonstrator: it only ever learns
from the observer's own nociception. Observational freezing appears only if the cortical
code of the demonstrator's pain resembles the observer's own.

**Rows** (condition = ``subject``, the observer, or ``other``, the demonstrator): ``freezing``, ``cea``, ``pag_vl``,
``bla`` per phase and session (observation: the shock period; ``freezing_baseline`` for its
pre-shock period); ``nociceptive_threshold`` of the observer (phases habituation and
observation: while the demonstrator is shocked), ``nociceptive_threshold_baseline`` (observation:
after the baseline, the demonstrator calm); ``other_state_r2`` (observation): how well the demonstrator's pain can be read
from the observer's cortex — the oracle-reward control models the other as well as the intact
animal does, yet does not freeze. **Traces**: ``freezing``, ``cea``, ``pag_vl`` per ``bin_steps`` bin over the
whole experiment (time in s from the end of development), ``phase_start`` (time a phase
begins); in spiking mode with
``rasters=1``, ``spike_<region>`` (value = unit) for the observer's ACC/insula, BLA, CeA and
PAG during the first ``raster_steps`` of the first observation session's shocks (the first seed of
each cohort).
"""

import dataclasses

import brian2 as b2
import numpy as np

from circuits import readout
from circuits.arena import Animal, Arena, Percept, Sight
from circuits.paradigms.base import Paradigm
from circuits.protocol import LiveOtherParams
from circuits.scene import SENSES, Scene
from circuits.variants import animal_circuit
from regions.params import param

ROLES = ("subject", "other")
RASTER_REGIONS = (("cortex", "acc_insula"), ("bla", None), ("cea", None), ("pag", None))


@dataclasses.dataclass(frozen=True)
class ShockObservationParams(LiveOtherParams):
    habituation_steps: int = param(40, low=1, high=10000, doc="habituation steps")
    own_shocks: int = param(10, low=0, high=1000, doc="footshocks the observer receives itself (0 = none)")
    observation_sessions: int = param(1, low=1, high=100, doc="observation sessions")
    baseline_steps: int = param(40, low=1, high=10000, doc="pre-shock steps of an observation session")
    observed_shocks: int = param(8, low=1, high=1000, doc="demonstrator footshocks per observation session")
    shock_steps: int = param(10, low=1, high=100, doc="steps a footshock lasts (0.5 s)")
    iti_steps: int = param(20, low=1, high=1000, doc="steps before each footshock")
    test_steps: int = param(40, low=1, high=10000, doc="test steps (demonstrator present, no shock)")
    ramp_steps: int = param(20, low=2, high=1000, doc="steps of the ramped nociceptive stimulus")
    ramp_max: b2.Quantity = param(60 * b2.Hz, unit=b2.Hz, low=1 * b2.Hz, high=500 * b2.Hz,
                                  doc="relay drive the ramp reaches")
    withdrawal_criterion: b2.Quantity = param(20 * b2.Hz, unit=b2.Hz, low=0.1 * b2.Hz, high=500 * b2.Hz,
                                              doc="PAG withdrawal rate that counts as a withdrawal")
    bin_steps: int = param(20, low=1, high=1000, doc="steps per bin of the time-course traces")
    rasters: int = param(0, low=0, high=1, doc="record spike rasters in spiking mode (1) or not (0)")
    raster_steps: int = param(60, low=1, high=10000, doc="steps of observation recorded as rasters")


@dataclasses.dataclass(frozen=True)
class Moment:
    """One step of the protocol: who is shocked, whether the two are together, where the observer
    is, the ramp."""

    subject_shock: bool = False
    other_shock: bool = False
    together: bool = True
    shock_chamber: bool = False  # the observer is in the shock chamber (else the observation arena)
    ramp: float = -1.0  # relay drive of the observer's ramped stimulus (Hz); < 0: none


class ShockObservation(Paradigm):
    name = "shock-observation"
    description = "an observer watches a demonstrator receive footshocks: freezing, CeA/PAG, hyperalgesia"
    reference = "Church 1959; Langford et al. 2006; Jeon et al. 2010; Atsak et al. 2011; Carrillo et al. 2019"
    Params = ShockObservationParams
    phases = ("habituation", "own_shocks", "observation", "test", "timecourse")
    measures = {
        "freezing": "fraction of steps with PAG-vl above its freezing threshold (observation: shock period)",
        "freezing_baseline": "observation: freezing in the pre-shock period",
        "cea": "CeA rate (Hz)", "bla": "BLA rate (Hz)", "pag_vl": "PAG ventrolateral (freezing) rate (Hz)",
        "nociceptive_threshold": "relay drive (Hz) of the ramped stimulus at which PAG withdrawal fires "
                                 "(observation: while the demonstrator is shocked)",
        "nociceptive_threshold_baseline": "observation: the threshold after the baseline, demonstrator calm",
        "other_state_r2": "observation: R² of the demonstrator's pain decoded from the observer's cortex (held-out shocks)",
    }
    figures = ("shock_observation",)
    effects = (("observation", "freezing", "subject"), ("observation", "nociceptive_threshold", "subject"),
               ("observation", "cea", "subject"))

    def circuit(self, params, region_params=None):
        return animal_circuit(Scene(0, params.sense_list()).channels(), params=region_params)

    def total_sessions(self, params):
        return 4 + params.observation_sessions

    def run(self, graph, params, seeds, sim_options, progress=None):
        record = bool(params.rasters) and sim_options.get("mode") == "spiking"
        animals = {"subject": Animal(graph, params.sense_list(), noise=params.scene_noise, salt=0),
                   "other": Animal(animal_circuit(Scene(0).channels()) if params.live() else None, SENSES,
                                   noise=params.scene_noise, salt=1)}
        arena = Arena(animals, seeds, sim_options, params.step, params.stimulus, record_spikes=record)
        arena.develop(params.development_events, "cagemate", params.p_together, adult=params.adult_cortex_learning)
        self.tick(progress)
        world = World(arena, params)
        rows, start = [], arena.steps_done
        rows += world.phase("habituation", 0, [Moment()] * params.habituation_steps)
        rows += world.threshold("habituation", 0, other_shock=False)
        self.tick(progress)
        alone = {"together": False, "shock_chamber": True}
        shocks = [Moment(**alone)] * params.iti_steps + [Moment(subject_shock=True, **alone)] * params.shock_steps
        if params.own_shocks:
            rows += world.phase("own_shocks", 0, shocks * params.own_shocks + [Moment(**alone)] * params.iti_steps)
        self.tick(progress)
        observed = [Moment()] * params.iti_steps + [Moment(other_shock=True)] * params.shock_steps
        for session in range(params.observation_sessions):
            first = arena.steps_done
            rows += world.phase("observation", session, [Moment()] * params.baseline_steps, "freezing_baseline")
            rows += world.threshold("observation", session, other_shock=False,
                                    measure="nociceptive_threshold_baseline")
            rows += world.phase("observation", session, observed * params.observed_shocks)
            rows += world.threshold("observation", session, other_shock=True)
            if record and session == 0:
                rows += _rasters(arena, first + params.baseline_steps, params)
            self.tick(progress)
        rows += world.phase("test", 0, [Moment()] * params.test_steps)
        rows += world.traces(start)
        self.tick(progress)
        return rows


class World:
    """The protocol's moments rendered for both animals: each perceives the other's state of the step before."""

    def __init__(self, arena, params):
        self.arena, self.params = arena, params
        self.similarity = Scene.similarity(params.target())
        self.live = {role: arena.has(role, "pag") for role in ROLES}
        self.freeze_at = {role: arena.freeze_threshold(role)
                          for role in ROLES if self.live[role]}
        self.marks = []  # (phase, session, first step) of every block run

    def state(self, role, moment):
        """(pain expression, movement) of ``role``'s animals: the recording, or their circuits' last step."""
        if role == "other" and not self.params.live():
            return np.full(self.arena.n, float(moment.other_shock)), np.ones(self.arena.n)
        return self.arena.body(role)

    def percept(self, role, moment):
        """What ``role``'s animals perceive: their own events and, together, the other's."""
        shocked = moment.subject_shock if role == "subject" else moment.other_shock
        pain, movement = self.state(role, moment)
        sights = [Sight("footshock")] if shocked else []
        sights.append(Sight("exploring", x=movement))
        if moment.together:
            their_pain, their_movement = self.state(ROLES[1 - ROLES.index(role)], moment)
            sights += [Sight("footshock", self.similarity, their_pain), Sight("exploring", self.similarity, their_movement)]
        nociception = 1.0 if shocked else None
        if role == "subject" and moment.ramp >= 0:  # replaces the observer's nociceptive input
            nociception = moment.ramp / float(self.params.stimulus)
        context = "footshock" if role == "subject" and moment.shock_chamber else None  # the grid floor
        return Percept(tuple(sights), nociception=nociception, context=context)

    def _run(self, moments, phase, session):
        if not self.marks or self.marks[-1][:2] != (phase, session):
            self.marks.append((phase, session, self.arena.steps_done))

        def moment(t):
            m = moments[t]
            out = {"subject": self.percept("subject", m)}
            if m.together or m.other_shock:
                out["other"] = self.percept("other", m)
            return out

        return self.arena.history(self.arena.run(len(moments), moment))

    def _mean(self, history, role, region, pop=None):
        """Steps x animals: the mean rate of ``region`` in ``role``'s animals (0 where a lesion removed it)."""
        if not self.arena.has(role, region):
            return np.zeros((len(history), self.arena.n))
        return self.arena.rates(role, region, pop, history=history).mean(axis=-1)

    def phase(self, phase, session, moments, freezing="freezing"):
        """Run ``moments``; rows of both animals' freezing and amygdala/PAG rates."""
        history = self._run(moments, phase, session)
        seeds, rows = self.arena.seeds, []
        for role in ROLES:
            if not self.live[role] or (role == "other" and not any(m.together or m.other_shock for m in moments)):
                continue
            vl = self.arena.rates(role, "pag", "vl", history=history)
            rows += Paradigm.rows(seeds, role, phase, session, freezing, readout.freezing(vl, self.freeze_at[role]))
            if freezing != "freezing":
                continue
            for region, pop, measure in (("cea", None, "cea"), ("bla", None, "bla"), ("pag", "vl", "pag_vl")):
                if self.arena.has(role, region):
                    rows += Paradigm.rows(seeds, role, phase, session, measure,
                                          self._mean(history, role, region, pop).mean(axis=0))
        if phase == "observation" and freezing == "freezing":
            rows += Paradigm.rows(seeds, "subject", phase, session, "other_state_r2", self._decoding(history, moments))
        return rows

    def _decoding(self, history, moments):
        """Per animal, R² of a ridge read-out of the demonstrator's pain (as perceived: its previous
        step) from the observer's cortical code, leaving one shock trial out at a time: how well the
        observer models the other, whatever it feels."""
        n = self.arena.n
        if self.params.live():
            pain = np.clip(self._mean(history, "other", "pag", "noci") / float(self.params.stimulus), 0, 1)
        else:
            pain = np.repeat(np.array([float(m.other_shock) for m in moments])[:, None], n, axis=1)
        perceived = np.concatenate([np.zeros((1, n)), pain[:-1]])
        code = np.concatenate([self.arena.rates("subject", c, history=history) for c in self.arena.cortex("subject")],
                              axis=2)
        return [readout.readout_r2(code[:, i], perceived[:, i:i + 1], self.params.observed_shocks) for i in range(n)]

    def threshold(self, phase, session, other_shock, measure="nociceptive_threshold"):
        """The observer's nociceptive threshold from a ramped stimulus (learning frozen)."""
        if not self.arena.has("subject", "pag"):
            return []
        p = self.params
        levels = np.linspace(0, float(p.ramp_max), p.ramp_steps)
        moments = [Moment(other_shock=other_shock, ramp=level) for level in levels]
        with self.arena.frozen():
            history = self._run(moments, phase, session)
        withdrawal = self._mean(history, "subject", "pag", "withdrawal")
        return Paradigm.rows(self.arena.seeds, "subject", phase, session, measure,
                             [readout.crossing(levels, withdrawal[:, i], float(p.withdrawal_criterion))
                              for i in range(self.arena.n)])

    def traces(self, start):
        """Binned time courses of both animals from step ``start`` on, and where each phase begins."""
        history = self.arena.history(start)
        bin_steps, step = self.params.bin_steps, float(self.params.step)
        bins = len(history) // bin_steps
        rows = []
        for phase, session, first in self.marks:
            rows += Paradigm.rows(self.arena.seeds, "subject", phase, session, "phase_start", 0.0,
                                  time=(first - start) * step)
        for role in ROLES:
            if not self.live[role]:
                continue
            vl = self.arena.rates(role, "pag", "vl", history=history[:bins * bin_steps])
            series = {"freezing": readout.frozen(vl, self.freeze_at[role]).astype(float), "pag_vl": vl.mean(axis=-1),
                      "cea": self._mean(history, role, "cea")[:bins * bin_steps]}
            for measure, values in series.items():
                binned = values.reshape(bins, bin_steps, -1).mean(axis=1)  # bins x animals
                for b, per_animal in enumerate(binned):
                    rows += Paradigm.rows(self.arena.seeds, role, "timecourse", 0, measure, per_animal,
                                          time=b * bin_steps * step)
        return rows


def _rasters(arena, first, params):
    """Spike rows of the first seed's observer regions in the ``raster_steps`` after step ``first``."""
    step = float(params.step)
    t0, t1 = first * step, (first + params.raster_steps) * step
    spikes = arena.sim.spikes
    times, units = np.asarray(spikes.t / b2.second), np.asarray(spikes.i)
    keep = (times >= t0) & (times < t1)
    rows, seed = [], arena.seeds[0]
    for region, pop in RASTER_REGIONS:
        if not arena.has("subject", region):
            continue
        span = arena.units("subject", region, pop)[0]
        mine = keep & (units >= span[0]) & (units <= span[-1])
        for t, i in zip(times[mine], units[mine]):
            rows.append({"seed": seed, **Paradigm.row("subject", "observation", 0, f"spike_{region}", i - span[0]),
                         "time": t - t0})
    return rows
