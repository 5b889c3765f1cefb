"""The Arena: the one way a paradigm drives animals — a cohort in lockstep in one network.

A paradigm names its **roles** (``subject``, and ``other`` for the animal it sees, hears or
harms; mirror-emergence's control conditions are roles too), each an :class:`Animal`: a circuit
graph (``None``: the role is a recording or absent, not simulated) and its scene. The Arena puts
one animal per role and seed side by side in one Brian2 network (labels ``ROLE-SEED``,
:func:`circuits.variants.cohort`): Brian2 pays its fixed cost per code object and step once for
the whole cohort, so the cost per animal falls with the cohort's size.

Each step a **moment** (role -> :class:`Percept`) is rendered into every animal's thalamus at
once: what happens to the animal itself and whom it sees (:class:`Sight`, rendered through its
scene, :class:`circuits.scene.Scenes`), relays (food, lever, light, tone), an override of its
nociceptors (a footshock drives them all; a ramped stimulus) and the circuit's declared inputs to
non-sensory regions (:func:`circuits.graph.declare_input`). Every value may be one per animal, so
each animal has its own actions and outcomes while all share the protocol. An animal perceives
another through :meth:`body`: its pain expression and its movement, read from its circuit in the
step before.

**Seeds.** Seed ``s`` is the same animal in any cohort: its scene (patterns, life) and initial
weights come from ``s`` alone. The noise does not: Brian2 draws the units' noise for the whole
network from one stream (seeded by the cohort's first seed) and the scene noise is drawn for the
whole cohort at once, so seed ``s`` in a cohort is another noise realisation of the same animal
than seed ``s`` alone. A run is reproduced exactly by the same seeds in the same cohorts.
"""

import contextlib
import copy
import dataclasses

import brian2 as b2
import numpy as np

from circuits.graph import declared_inputs, projections, social_salience
from circuits.scene import EVENTS, Scene, Scenes, route
from circuits.simulation import Simulation
from circuits.variants import cohort
from regions.errors import VicariousError, unknown

#: Thalamocortical projections: what learns during development in the whole-animal paradigms.
THALAMOCORTICAL_KEYS = ("thalamus_to_acc_insula", "thalamus_to_association")


@dataclasses.dataclass(frozen=True)
class Animal:
    """A role of the cohort: its circuit (``None``: not simulated) and its scene.

    Roles with the same ``scene`` name live in the same scene (patterns and noise); ``shuffled``
    roles see the other's expressions paired with the wrong events (see :mod:`circuits.scene`).
    """

    graph: object = None
    senses: tuple = ("sight", "sound", "smell")
    scene: str = ""  # default: the role's own scene
    shuffled: bool = False
    noise: float = 0.1
    markers: int = 0  # group markers in its scene (see circuits.scene)
    salt: int = 0  # the scene's seed is [seed, salt] (initial weights: [seed, the role's index])


@dataclasses.dataclass(frozen=True)
class Sight:
    """An event that the animal undergoes itself (``target='self'``) or sees happen to ``target``
    (a named other or similarity), with intensity ``x`` in [0, 1]; ``sense`` keeps only that sense
    of the expression (a recording: nothing is seen behind it); ``marker`` is the group marker
    another wears (an index into its scene's markers). Event, intensity and marker may be one per
    animal (event indices into :data:`circuits.scene.EVENTS`; a negative marker: none)."""

    event: object
    target: object = "self"
    x: object = 1.0
    sense: str = None
    marker: object = None


@dataclasses.dataclass(frozen=True)
class Percept:
    """What reaches one role's animals in one step (each value a scalar or one per animal).

    ``nociception`` replaces the nociceptive relay (1: a footshock drives every nociceptor; a ramp;
    NaN: as rendered);
    ``context`` (an event name) replaces the surroundings (the shock chamber's grid floor);
    ``relays``: channel -> value (the animal's own: the ``@self`` copy of an egocentric circuit);
    ``inputs``: declared input -> value per unit.
    """

    sights: tuple = ()
    nociception: object = None
    context: str = None
    relays: dict = dataclasses.field(default_factory=dict)
    inputs: dict = dataclasses.field(default_factory=dict)


SILENCE = Percept()


class Arena:
    """A cohort: one animal per role and seed, in one :class:`~circuits.simulation.Simulation`.

    ``animals``: role -> :class:`Animal`; ``stimulus``: relay drive of a scene value of 1.
    """

    def __init__(self, animals, seeds, sim_options, step, stimulus, record_spikes=False):
        self.seeds, self.stimulus = tuple(seeds), stimulus
        self.n = len(self.seeds)
        self.animals = dict(animals)
        self.live = tuple(role for role, animal in self.animals.items() if animal.graph is not None)
        if not self.live:
            raise VicariousError("an arena needs at least one simulated animal")
        graphs = {self.label(role, s): self.animals[role].graph for role in self.live for s in self.seeds}
        salts = {role: i for i, role in enumerate(self.animals)}
        weight_seeds = {self.label(role, s): [s, salts[role]] for role in self.live for s in self.seeds}
        self.sim = Simulation(cohort(graphs), seed=self.seeds[0], step=step, record_spikes=record_spikes,
                              seeds=weight_seeds, **sim_options)
        self.scenes = {}
        self._scene_of = {role: animal.scene or role for role, animal in self.animals.items()}
        for role, animal in self.animals.items():
            key = self._scene_of[role]
            if key not in self.scenes:
                members = [Scene([s, animal.salt], animal.senses, noise=animal.noise, markers=animal.markers) for s in self.seeds]
                self.scenes[key] = Scenes(members, np.random.default_rng([*self.seeds, animal.salt, 2]))
        self._index = {}
        self._populations = {role: self.region(role, "thalamus").slices() for role in self.live}
        self._salience = {role: social_salience(self.animals[role].graph) for role in self.live}
        self._drive = np.zeros(len(self.sim.group))

    # -- naming and indices -------------------------------------------------------------
    @staticmethod
    def label(role, seed):
        return f"{role}-{seed}"

    def region(self, role, name):
        """The Region object of ``name`` in ``role``'s circuit (the same for all its animals)."""
        return self.sim.regions[f"{self.label(role, self.seeds[0])}/{name}"]

    def has(self, role, region):
        return role in self.live and f"{self.label(role, self.seeds[0])}/{region}" in self.sim.regions

    def units(self, role, region, pop=None):
        """Unit indices (animals x units) of ``region`` (or one population) in every animal of ``role``."""
        key = (role, region, pop)
        if key not in self._index:
            if role not in self.live:
                raise unknown("simulated role", role, self.live)
            spans = [self.sim.built.units(f"{self.label(role, s)}/{region}", pop) for s in self.seeds]
            self._index[key] = np.array([np.arange(sp.start, sp.stop) for sp in spans])
        return self._index[key]

    def cortex(self, role):
        """Names of ``role``'s cortical regions (one, or the two halves of an egocentric cortex)."""
        prefix = f"{self.label(role, self.seeds[0])}/"
        return [name[len(prefix):] for name in self.sim.regions
                if name.startswith(prefix) and name[len(prefix):].split("@")[0] == "cortex"]

    # -- reading ------------------------------------------------------------------------
    def history(self, start=0, stop=None):
        """Recorded mean rates per step (steps x all units) from step ``start``."""
        return np.asarray(self.sim.history[start:stop])

    def rates(self, role, region, pop=None, start=0, stop=None, history=None):
        """Mean rate per step of ``region`` (or ``pop``) in each animal of ``role``: steps x animals x units
        (``history``: any leading axes x all units)."""
        history = self.history(start, stop) if history is None else history
        return history[..., self.units(role, region, pop)]

    def body(self, role):
        """(pain expression, movement) in [0, 1] per animal, from its circuit's previous step:
        its PAG's nociceptive column over the stimulus, and 1 − PAG-vl over the freezing threshold."""
        if not self.sim.history or role not in self.live:
            return np.zeros(self.n), np.ones(self.n)
        last = self.sim.history[-1]
        pain = last[self.units(role, "pag", "noci")].mean(axis=1) / float(self.stimulus)
        vl = last[self.units(role, "pag", "vl")].mean(axis=1)
        movement = 1.0 - vl / self.freeze_threshold(role)
        return np.clip(pain, 0, 1), np.clip(movement, 0, 1)

    def freeze_threshold(self, role):
        """The PAG-vl rate (Hz) above which ``role``'s animals freeze (:func:`circuits.readout.frozen`)."""
        return float(self.region(role, "pag").params.freeze_threshold)

    def tonic_dopamine(self, role):
        """The VTA's tonic rate (Hz) in ``role``'s animals, against which :func:`circuits.readout.dopamine` reads."""
        return float(self.region(role, "vta").params.tonic)

    @property
    def steps_done(self):
        return self.sim.steps_done

    # -- driving ------------------------------------------------------------------------
    def render(self, moment):
        """Set every animal's inputs from ``moment`` (role -> :class:`Percept`; missing roles: silence)."""
        drive = self._drive
        drive[:] = 0.0
        stimulus = float(self.stimulus)
        cache = {}
        for role in self.live:
            percept = moment.get(role, SILENCE)
            animal = self.animals[role]
            scene = self.scenes[self._scene_of[role]]
            pops = self._populations[role]
            frames = []
            for sight in percept.sights:
                key = (self._scene_of[role], animal.shuffled, id(sight))
                if key not in cache:
                    events = EVENTS.index(sight.event) if isinstance(sight.event, str) else sight.event
                    frame = scene.frame(events, sight.target, animal.shuffled, sense=sight.sense, marker=sight.marker)
                    x = np.broadcast_to(np.asarray(sight.x, dtype=float), (self.n,))[:, None]
                    cache[key] = {name: values * x for name, values in frame.items()}
                frames.append((sight.target, cache[key]))
            values = route(frames, pops, self._salience[role]) if frames else {}
            if percept.context is not None:  # every view of the surroundings (both copies of an egocentric circuit)
                place = scene.frame(EVENTS.index(percept.context))["context"]
                for pop in [p for p in values if p.partition("@")[0] == "context"]:
                    values[pop] = np.where(values[pop] > 0, place, 0.0)
            if percept.nociception is not None:  # NaN: as rendered
                pop = _own("nociception", pops)
                level = self._fill(percept.nociception, pops[pop])
                values[pop] = np.where(np.isnan(level), values.get(pop, np.zeros(level.shape)), level)
            for channel, x in percept.relays.items():
                pop = _own(channel, pops)
                values[pop] = self._fill(x, pops[pop])
            for pop, v in values.items():
                drive[self.units(role, "thalamus", pop)] = v * stimulus
            for name, v in percept.inputs.items():
                region, pop = self._declared(role, name)
                if self.has(role, region):  # a lesion may have removed it
                    drive[self.units(role, region, pop)] = np.asarray(v / b2.Hz if isinstance(v, b2.Quantity) else v)
        self.sim.group.I_ext_[:] = drive

    def _fill(self, x, span):
        """``x`` (a scalar or one value per animal) on every unit of the population ``span``: animals x units."""
        return np.broadcast_to(np.asarray(x, dtype=float)[..., None], (self.n, span.stop - span.start))

    def _declared(self, role, name):
        inputs = declared_inputs(self.animals[role].graph)
        if name not in inputs:
            raise unknown(f"declared input of {role}", name, inputs)
        return inputs[name]["region"], inputs[name]["pop"]

    def run(self, n_steps, moment):
        """Advance ``n_steps`` steps; ``moment(t)`` (t = 0 .. n_steps - 1) gives each step's moment.

        Returns the first step's index in the history."""
        start = self.sim.steps_done
        self.sim.run(n_steps, lambda k: self.render(moment(k - start)))
        return start

    def develop(self, n_events, other, p_together, event_steps=4, gap_steps=1, learning=THALAMOCORTICAL_KEYS,
                adult=1.0):
        """Each animal's own random life (:meth:`circuits.scene.Scene.development`) with ``other``:
        ``event_steps`` of each event, then ``gap_steps`` of quiet. Only the projections named in
        ``learning`` (without their labels; ``None``: all) learn. Roles sharing a scene share a life.
        Afterwards the thalamocortical projections learn at ``adult`` times their rate: the critical
        period is over (also with no events: a naive cortex is then an adult's)."""
        lives = {key: scene.development(n_events, other, p_together) for key, scene in self.scenes.items()}
        sights = {}
        for key, (events, kinds) in lives.items():
            sights[key] = [(Sight(events[:, i], "self", (kinds[:, i] != 1).astype(float)),
                            Sight(events[:, i], other, (kinds[:, i] != 0).astype(float))) for i in range(n_events)]

        def moment_of(i):
            return {role: Percept(sights[self._scene_of[role]][i]) for role in self.live}

        frozen = None
        if learning is not None:
            frozen = [k for _, _, k, p in projections(self.sim.built.graph)
                      if p.plasticity and k.partition("/")[2].split("@")[0] not in learning]
        with self.sim.frozen(frozen) if frozen else contextlib.nullcontext():
            start = self.present(range(n_events), event_steps, gap_steps, moment_of) if n_events else self.steps_done
        thalamocortical = [k for _, _, k, p in projections(self.sim.built.graph)
                           if p.plasticity and k.partition("/")[2].split("@")[0] in THALAMOCORTICAL_KEYS]
        self.sim.scale_learning(thalamocortical, adult)
        return start

    def present(self, items, on_steps, gap_steps, moment_of):
        """Show ``items`` in turn: ``on_steps`` steps of the moment ``moment_of(item)``, then ``gap_steps`` of
        silence. Returns the first step's index in the history."""
        period = on_steps + gap_steps
        shown = {}

        def moment(t):
            index, within = divmod(t, period)
            if within >= on_steps:
                return {}
            if index not in shown:
                shown.clear()
                shown[index] = moment_of(items[index])
            return shown[index]

        return self.run(len(items) * period, moment)

    @contextlib.contextmanager
    def frozen(self, keys=None):
        """No learning inside the block in the projections ``keys`` (unlabelled; default: all)."""
        labelled = None
        if keys is not None:
            labelled = [k for _, _, k, _ in projections(self.sim.built.graph) if k.partition("/")[2] in keys]
        with self.sim.frozen(labelled):
            yield self

    @contextlib.contextmanager
    def branch(self):
        """Within the block the cohort runs on; after it, every animal and scene is back where it was
        (:meth:`circuits.simulation.Simulation.branch`): a counterfactual from the same animals."""
        rngs = {key: copy.deepcopy(scene.rng.bit_generator.state) for key, scene in self.scenes.items()}
        with self.sim.branch():
            try:
                yield self
            finally:
                for key, state in rngs.items():
                    self.scenes[key].rng.bit_generator.state = state

    def weights(self, role, key):
        """Weights of projection ``key`` in every animal of ``role`` (animals x synapses)."""
        return np.array([self.sim.weights(f"{self.label(role, s)}/{key}") for s in self.seeds])


def _own(channel, populations):
    """The thalamic population of the animal's own ``channel`` (its ``@self`` copy in an egocentric circuit)."""
    for pop in (f"{channel}@self", channel):
        if pop in populations:
            return pop
    raise unknown("thalamic channel", channel, [p for p in populations if "@other" not in p])
