"""``shock-observation``: emotional contagion — an observer watches a demonstrator being shocked.

Two animals, each a whole circuit (:func:`circuits.variants.animal_circuit`), run side by
side in one network (:func:`circuits.variants.cohort`). Each perceives the other through its
own scene (:mod:`circuits.scene`): every step, what the other *does* is read from the other's
circuit in the step before — its pain expression from its PAG's nociceptive column, its
movement from how little it freezes — and mixed into the perceiver's thalamus. So contagion
can flow both ways. With ``demonstrator_mode=playback`` the demonstrator is replaced by a
fixed recording: full pain expression during each scheduled shock, full movement otherwise.

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

**Rows** (condition = ``observer`` or ``demonstrator``): ``freezing``, ``cea``, ``pag_vl``,
``bla`` per phase and session (observation: the shock period; ``freezing_baseline`` for its
pre-shock period); ``nociceptive_threshold`` of the observer (phases habituation and
observation: while the demonstrator is shocked), ``nociceptive_threshold_baseline`` (observation:
after the baseline, the demonstrator calm); ``other_state_r2`` (observation): how well the demonstrator's pain can be read
from the observer's cortex — the oracle-reward control models the other as well as the intact
animal does, yet does not freeze. **Traces**: ``freezing``, ``cea``, ``pag_vl`` per ``bin_steps`` bin over the
whole experiment (time in s from the end of development), ``phase_start`` (time a phase
begins); in spiking mode with
``rasters=1``, ``spike_<region>`` (value = unit) for the observer's ACC/insula, BLA, CeA and
PAG during the first ``raster_steps`` of the first observation session's shocks.
"""

import dataclasses

import brian2 as b2
import numpy as np

from circuits.graph import projections
from circuits.paradigms.base import Paradigm
from circuits.paradigms.mirror_emergence import readout_r2
from circuits.scene import SENSES, Scene, parse_other, parse_senses, route
from circuits.variants import animal_circuit, cohort
from regions.params import Params, param

ANIMALS = ("observer", "demonstrator")
DEMONSTRATOR_MODES = ("live", "playback")
RASTER_REGIONS = (("cortex", "acc_insula"), ("bla", None), ("cea", None), ("pag", None))


@dataclasses.dataclass(frozen=True)
class ShockObservationParams(Params):
    demonstrator: str = param("cagemate", doc="the demonstrator: a name (self_like, cagemate, stranger, "
                                              "other_strain, other_species) or a similarity in [0, 1]")
    demonstrator_mode: str = param("live", choices=DEMONSTRATOR_MODES,
                                   doc="live (its own circuit) or playback (a fixed recording of pain)")
    senses: str = param("sight,sound,smell", doc="senses that reach the observer (comma-separated)")
    development_events: int = param(200, low=0, high=100000, doc="events of each animal's development")
    p_together: float = param(0.3, low=0.0, high=1.0, doc="development: events shared with the cagemate")
    scene_noise: float = param(0.1, low=0.0, high=1.0, doc="noise (SD) on every scene value")
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
    step: b2.Quantity = param(50 * b2.ms, unit=b2.ms, low=10 * b2.ms, high=500 * b2.ms, doc="scene step")
    stimulus: b2.Quantity = param(40 * b2.Hz, unit=b2.Hz, low=1 * b2.Hz, high=200 * b2.Hz,
                                  doc="relay drive of a scene value of 1 (and of a footshock)")

    def __post_init__(self):
        super().__post_init__()
        self.target()
        self.sense_list()

    def target(self):
        return parse_other(self.demonstrator, "paradigm.demonstrator")

    def sense_list(self):
        return parse_senses(self.senses, "paradigm.senses")


@dataclasses.dataclass
class Moment:
    """What happens in one step: who is shocked, whether the demonstrator is in view, where the
    observer is, the ramp."""

    observer_shock: bool = False
    demonstrator_shock: bool = False
    together: bool = True
    shock_chamber: bool = False  # the observer is in the shock chamber (else the observation arena)
    ramp: float = -1.0  # relay drive of the observer's ramped stimulus (Hz); < 0: none


class ShockObservation(Paradigm):
    name = "shock-observation"
    description = "an observer watches a demonstrator receive footshocks: freezing, CeA/PAG, hyperalgesia"
    reference = "Church 1959; Langford et al. 2006; Jeon et al. 2010; Atsak et al. 2011; Carrillo et al. 2019"
    Params = ShockObservationParams
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
    effects = (("observation", "freezing", "observer"), ("observation", "nociceptive_threshold", "observer"),
               ("observation", "cea", "observer"))

    def circuit(self, params, region_params=None):
        return animal_circuit(Scene(0, params.sense_list()).channels(), params=region_params)

    def total_sessions(self, params):
        return 4 + params.observation_sessions

    def run(self, graph, params, seed, sim_options, progress=None):
        demonstrator = self.circuit(params)
        record = params.rasters and sim_options.get("mode") == "spiking"
        sim = self.simulation(cohort({"observer": graph, "demonstrator": demonstrator}), seed,
                              sim_options | {"step": params.step, "record_spikes": bool(record)})
        scenes = {a: Scene([seed, i], params.sense_list() if a == "observer" else SENSES, noise=params.scene_noise)
                  for i, a in enumerate(ANIMALS)}
        self._develop(sim, scenes, params)
        _tick(progress)
        world = World(sim, scenes, params)
        rows, start = [], sim.steps_done
        rows += world.phase("habituation", 0, [Moment()] * params.habituation_steps)
        rows += world.threshold("habituation", 0, demonstrator_shock=False)
        _tick(progress)
        alone = {"together": False, "shock_chamber": True}
        shocks = [Moment(**alone)] * params.iti_steps + [Moment(observer_shock=True, **alone)] * params.shock_steps
        if params.own_shocks:
            rows += world.phase("own_shocks", 0, shocks * params.own_shocks + [Moment(**alone)] * params.iti_steps)
        _tick(progress)
        observed = [Moment()] * params.iti_steps + [Moment(demonstrator_shock=True)] * params.shock_steps
        for session in range(params.observation_sessions):
            first = sim.steps_done
            rows += world.phase("observation", session, [Moment()] * params.baseline_steps, "freezing_baseline")
            rows += world.threshold("observation", session, demonstrator_shock=False,
                                    measure="nociceptive_threshold_baseline")
            rows += world.phase("observation", session, observed * params.observed_shocks)
            rows += world.threshold("observation", session, demonstrator_shock=True)
            if record and session == 0:
                rows += _rasters(sim, first + params.baseline_steps, params)
            _tick(progress)
        rows += world.phase("test", 0, [Moment()] * params.test_steps)
        rows += world.traces(start)
        _tick(progress)
        return rows

    def _develop(self, sim, scenes, params):
        """Each animal's own life with a cagemate; only the thalamocortical synapses learn."""
        lives = {a: scenes[a].development(params.development_events, "cagemate", params.p_together) for a in ANIMALS}
        period = 4 + 1  # event steps, then one quiet step (as in mirror-emergence)
        start = sim.steps_done

        def controller(k):
            index, t = divmod(k - start, period)
            sim.clear_inputs()
            if t >= 4:
                return
            for animal in ANIMALS:
                event, targets = lives[animal][index]
                frames = [(x, scenes[animal].frame(event, x)) for x in targets]
                _set(sim, animal, frames, params.stimulus)

        learning = {k for _, _, k, p in projections(sim.built.graph) if p.plasticity}
        still = [k for k in learning if "thalamus_to_acc_insula" not in k and "thalamus_to_association" not in k]
        with sim.frozen(still):
            sim.run(params.development_events * period, controller)


class World:
    """The two animals' shared world, step by step: each perceives the other's state of the step before."""

    def __init__(self, sim, scenes, params):
        self.sim, self.scenes, self.params = sim, scenes, params
        self.similarity = params.target()
        self.units = {(a, r, p): sim.built.units(f"{a}/{r}", p)
                      for a in ANIMALS for r, p in (("pag", "vl"), ("pag", "noci"), ("pag", "withdrawal"),
                                                     ("cea", None), ("bla", None)) if f"{a}/{r}" in sim.regions}
        self.freeze_at = {a: float(sim.regions[f"{a}/pag"].params.freeze_threshold) for a in ANIMALS
                          if f"{a}/pag" in sim.regions}
        self.marks = []  # (phase, session, first step) of every block run

    def _mean(self, rates, animal, region, pop=None):
        units = self.units.get((animal, region, pop))
        return rates[..., units].mean(axis=-1) if units is not None else np.zeros(rates.shape[:-1])

    def state(self, animal, moment, k):
        """(pain expression, movement) of ``animal`` in [0, 1], from its circuit's previous step."""
        if animal == "demonstrator" and self.params.demonstrator_mode == "playback":
            return (1.0 if moment.demonstrator_shock else 0.0), 1.0
        if not self.sim.history:
            return 0.0, 1.0
        last = self.sim.history[-1]
        pain = self._mean(last, animal, "pag", "noci") / float(self.params.stimulus)
        vl = self._mean(last, animal, "pag", "vl")
        movement = 1.0 - vl / self.freeze_at[animal] if animal in self.freeze_at else 1.0
        return float(np.clip(pain, 0, 1)), float(np.clip(movement, 0, 1))

    def frames(self, animal, moment, k):
        """What ``animal`` perceives: its own events and, in view, the other's (scaled by intensity)."""
        scene, other = self.scenes[animal], ANIMALS[1 - ANIMALS.index(animal)]
        shocked = moment.observer_shock if animal == "observer" else moment.demonstrator_shock
        pain, movement = self.state(animal, moment, k)
        parts = [("self", "footshock", 1.0)] if shocked else []
        parts.append(("self", "exploring", movement))
        if moment.together:
            their_pain, their_movement = self.state(other, moment, k)
            parts += [(self.similarity, "footshock", their_pain), (self.similarity, "exploring", their_movement)]
        out = [(target, {ch: v * x for ch, v in scene.frame(event, target).items()})
               for target, event, x in parts if x > 0]
        if shocked:  # a footshock drives every nociceptor, whatever the scene's body pattern
            out[0][1]["nociception"] = np.ones_like(out[0][1]["nociception"])
        if animal == "observer" and moment.shock_chamber:  # its surroundings are the grid floor
            for _, frame in out:
                if frame["context"].any():
                    frame["context"] = scene.frame("footshock", "self")["context"]
        return out

    def _run(self, moments, phase, session):
        sim, start = self.sim, self.sim.steps_done
        if not self.marks or self.marks[-1][:2] != (phase, session):
            self.marks.append((phase, session, start))

        def controller(k):
            moment = moments[k - start]
            frames = {a: self.frames(a, moment, k) for a in ANIMALS
                      if a == "observer" or moment.together or moment.demonstrator_shock}
            sim.clear_inputs()
            for animal, perceived in frames.items():
                _set(sim, animal, perceived, self.params.stimulus)
            if moment.ramp >= 0:  # replaces the observer's nociceptive input
                size = dict(self.scenes["observer"].channels())["nociception"]
                ramp = np.full(size, moment.ramp / float(self.params.stimulus))
                _set(sim, "observer", [("self", {"nociception": ramp})], self.params.stimulus)

        sim.run(len(moments), controller)
        return np.asarray(sim.history[start:])

    def phase(self, phase, session, moments, freezing="freezing"):
        """Run ``moments``; rows of both animals' freezing and amygdala/PAG rates."""
        rates = self._run(moments, phase, session)
        rows = []
        for animal in ANIMALS:
            if animal == "demonstrator" and (self.params.demonstrator_mode == "playback"
                                             or not any(m.together or m.demonstrator_shock for m in moments)):
                continue
            if animal in self.freeze_at:
                vl = self._mean(rates, animal, "pag", "vl")
                rows.append(Paradigm.row(animal, phase, session, freezing, (vl > self.freeze_at[animal]).mean()))
            if freezing != "freezing":
                continue
            for region, pop, measure in (("cea", None, "cea"), ("bla", None, "bla"), ("pag", "vl", "pag_vl")):
                if (animal, region, pop) in self.units:
                    rows.append(Paradigm.row(animal, phase, session, measure, self._mean(rates, animal, region, pop).mean()))
        if phase == "observation" and freezing == "freezing":
            rows.append(Paradigm.row("observer", phase, session, "other_state_r2", self._decoding(rates, moments)))
        return rows

    def _decoding(self, rates, moments):
        """R² of a ridge read-out of the demonstrator's pain (as perceived: its previous step) from
        the observer's cortical code, leaving one shock trial out at a time: how well the observer
        models the other, whatever it feels."""
        if self.params.demonstrator_mode == "playback":
            pain = np.array([float(m.demonstrator_shock) for m in moments])
        else:
            pain = np.clip(self._mean(rates, "demonstrator", "pag", "noci") / float(self.params.stimulus), 0, 1)
        perceived = np.concatenate([[0.0], pain[:-1]])
        code = np.concatenate([rates[:, self.sim.built.units(name)] for name in self.sim.regions
                               if name.startswith("observer/cortex")], axis=1)
        return readout_r2(code, perceived[:, None], self.params.observed_shocks)

    def threshold(self, phase, session, demonstrator_shock, measure="nociceptive_threshold"):
        """The observer's nociceptive threshold from a ramped stimulus (learning frozen)."""
        if ("observer", "pag", "withdrawal") not in self.units:
            return []
        p = self.params
        levels = np.linspace(0, float(p.ramp_max), p.ramp_steps)
        moments = [Moment(demonstrator_shock=demonstrator_shock, ramp=level) for level in levels]
        with self.sim.frozen():
            rates = self._run(moments, phase, session)
        withdrawal = self._mean(rates, "observer", "pag", "withdrawal")
        return [Paradigm.row("observer", phase, session, measure,
                             crossing(levels, withdrawal, float(p.withdrawal_criterion)))]

    def traces(self, start):
        """Binned time courses of both animals from step ``start`` on, and where each phase begins."""
        rates = np.asarray(self.sim.history[start:])
        bins = len(rates) // self.params.bin_steps
        rows = []
        for phase, session, first in self.marks:
            row = Paradigm.row("observer", phase, session, "phase_start", 0.0)
            row["time"] = (first - start) * float(self.params.step)
            rows.append(row)
        for animal in ANIMALS:
            if animal not in self.freeze_at:
                continue
            vl = self._mean(rates, animal, "pag", "vl")[:bins * self.params.bin_steps]
            series = {"freezing": (vl > self.freeze_at[animal]).astype(float), "pag_vl": vl,
                      "cea": self._mean(rates, animal, "cea")[:bins * self.params.bin_steps]}
            for measure, values in series.items():
                for b, value in enumerate(values.reshape(bins, -1).mean(axis=1)):
                    row = Paradigm.row(animal, "timecourse", 0, measure, value)
                    row["time"] = b * self.params.bin_steps * float(self.params.step)
                    rows.append(row)
        return rows


def crossing(levels, response, criterion):
    """The stimulus level at which ``response`` first reaches ``criterion`` (linear interpolation
    between steps; the last level when it never does)."""
    above = np.flatnonzero(response >= criterion)
    if not len(above):
        return float(levels[-1])
    i = above[0]
    if i == 0:
        return float(levels[0])
    r0, r1 = response[i - 1], response[i]
    return float(levels[i - 1] + (levels[i] - levels[i - 1]) * (criterion - r0) / (r1 - r0))


def _set(sim, animal, frames, stimulus):
    thalamus = f"{animal}/thalamus"
    for pop, values in route(frames, sim.regions[thalamus].slices()).items():
        sim.set_input(thalamus, pop, values * stimulus)


def _rasters(sim, first, params):
    """Spike rows of the observer's regions in the ``raster_steps`` after step ``first``."""
    step = float(params.step)
    t0, t1 = first * step, (first + params.raster_steps) * step
    times, units = np.asarray(sim.spikes.t / b2.second), np.asarray(sim.spikes.i)
    keep = (times >= t0) & (times < t1)
    rows = []
    for region, pop in RASTER_REGIONS:
        name = f"observer/{region}"
        if name not in sim.regions:
            continue
        span = sim.built.units(name, pop)
        mine = keep & (units >= span.start) & (units < span.stop)
        for t, i in zip(times[mine], units[mine]):
            row = Paradigm.row("observer", "observation", 0, f"spike_{region}", i - span.start)
            row["time"] = t - t0
            rows.append(row)
    return rows


def _tick(progress):
    if progress:
        progress()
