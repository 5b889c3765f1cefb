"""``mirror-emergence``: a cortex that learns the scene without labels, and the mirror units in it.

**Development.** The subject lives a random life (:mod:`circuits.scene`): events happen
to itself, to another animal it sees and hears (``other``, a name or a similarity), or
to both at once (``p_together``). The world model (thalamus + cortex,
:func:`circuits.variants.world_model_circuit`) learns by competitive Hebbian learning;
nothing tells it who is who.

**Probes** (plasticity frozen): every event for the self and for the other, each
``probe_repeats`` times, and for others at every similarity in ``similarities``. Each
cortical unit's response is its mean rate over a probe after its first step.

**Conditions** (roles of one :class:`~circuits.arena.Arena`: per seed, animals living the same life
in the same scene, simulated side by side in one network):
``intact``; ``egocentric`` (self and other routed to disjoint cortical units,
:func:`circuits.variants.egocentric`); ``shuffled`` — a world in which the other's
expressions go with the wrong events (a fixed derangement), in development and probes:
the control for what the shared code rests on; ``untrained`` — the intact circuit living the
same life with every learning rule frozen (its random initial weights): the control for
what learning adds. The capacity sweep repeats ``intact`` and
``egocentric`` with ``capacity`` cortical units.

**Measures.** *overlap*: cosine of the population vectors for self and other, per event
and averaged. *specific_overlap*: mean self/other cosine for the same event minus the mean
for different events — the part of the shared code that is about the event, as in
cross-decoding of one's own and another's pain (Corradi-Dell'Acqua et al. 2011; Zhou et
al. 2020). Raw overlap alone cannot tell a learnt code from an unselective one: an untrained
cortex, whose random weights let most units answer most scenes, scores a raw overlap as high
as the trained one (0.8-0.9) but a specific overlap of ~0.2 (trained ~0.7). *Mirror index* of a
responsive unit (peak mean response ≥ ``RESPONSIVE``): ``min(R_self, R_other) /
max(R_self, R_other)`` at its preferred event (the event with its largest response to either
agent). A *mirror unit*, as defined for mirror neurons (Gallese et al. 1996; Keysers &
Perrett 2004), is congruent — the same preferred event for self and for other — with index
> 0.5 and selective for that event for both agents (``SELECTIVE``). *RSA*: cosine
similarity of the population vectors of all event × agent probes. *r2*: R² of a ridge
read-out of the noiseless scene (:meth:`Scene.vector`) from the cortical code,
leave-one-repeat-out over all probes.

**Rows** (``condition`` = intact, egocentric or shuffled):

* phase ``probe``: ``overlap``, ``overlap_<event>``, ``specific_overlap``, ``mirror_fraction``, ``r2``,
  ``responsive_units``; ``mirror_index`` with session = unit index (responsive units);
  ``rsa`` with session = ``i * 10 + j`` for probes ``i``, ``j`` of :data:`PROBES`
  (event-major: footshock/self, footshock/other, eating/self, ...);
* phase ``similarity``: ``overlap`` and ``specific_overlap`` with session = the other's
  similarity in percent;
* phase ``capacity`` (intact, egocentric): ``overlap``, ``specific_overlap``, ``mirror_fraction``, ``r2`` with
  session = cortical units; for egocentric also ``units_to_match``: session = intact
  units, value = egocentric units needed for the intact R² (log-interpolated in the
  sweep; NaN when the sweep never reaches it).
"""

import dataclasses
from pathlib import Path

import numpy as np

from circuits.arena import Animal, Arena, Percept, Sight
from circuits.graph import projections
from circuits.lesions import freeze_plasticity
from circuits.paradigms.base import Paradigm
from circuits.protocol import SocialParams
from circuits.readout import readout_r2
from circuits.scene import EVENTS, Scene
from circuits.variants import THALAMOCORTICAL, WORLD_MODEL_CORTEX, egocentric, with_cortex_units, world_model_circuit
from regions.errors import VicariousError
from regions.params import param

AGENTS = ("self", "other")
PROBES = tuple((event, agent) for event in EVENTS for agent in AGENTS)
CONDITIONS = ("intact", "untrained", "egocentric", "shuffled")
RESPONSIVE = 2.0  # Hz: a unit with a weaker peak mean response is left out of the mirror index
#: A unit is selective for its preferred event when ``(R_pref - R_rest) / (R_pref + R_rest) > 1/3``
#: (``R_rest``: mean response to the other events), i.e. it answers that event at least twice as
#: strongly as the others on average (the contrast index of, e.g., Moser et al. 2008).
SELECTIVE = 1 / 3


def _numbers(text, name, kind=float):
    if str(text).strip().lower() in ("", "none"):
        return ()
    try:
        return tuple(kind(x) for x in str(text).split(",") if x.strip())
    except ValueError:
        raise VicariousError(f"paradigm.{name} = {text!r}: expected comma-separated numbers") from None


@dataclasses.dataclass(frozen=True)
class MirrorEmergenceParams(SocialParams):
    event_steps: int = param(4, low=1, high=100, doc="steps a developmental event lasts")
    gap_steps: int = param(1, low=0, high=100, doc="quiet steps after each developmental event")
    probe_steps: int = param(3, low=2, high=100, doc="steps a probe lasts (the first is not measured)")
    probe_gap_steps: int = param(3, low=1, high=100, doc="quiet steps after each probe")
    probe_repeats: int = param(4, low=2, high=100, doc="repeats of each probe (read-out cross-validation)")
    similarities: str = param("0.2,0.5,0.7,0.9,1.0", doc="similarities of the probed others (comma-separated)")
    capacity: str = param("6,12,24", doc="cortical unit counts of the capacity sweep ('none' = no sweep; each >= 6)")
    start_from: str = param("", doc="npz of a developed world model (Simulation.save_weights) that the intact "
                                    "animals start from ('' = naive)")

    def __post_init__(self):
        super().__post_init__()
        for s in self.similarity_list():
            Scene.similarity(s)
        for n in self.capacity_list():
            if not 6 <= n <= 5000:
                raise VicariousError(f"paradigm.capacity: {n} units is out of range; allowed: [6, 5000]")
        if self.start_from and not Path(self.start_from).is_file():
            raise VicariousError(f"paradigm.start_from = {self.start_from!r}: no such file; give an npz of "
                                 "Simulation.save_weights, or '' to start naive")

    def other_target(self):
        return self.target()

    def similarity_list(self):
        return _numbers(self.similarities, "similarities")

    def capacity_list(self):
        return tuple(sorted(set(_numbers(self.capacity, "capacity", int))))


class MirrorEmergence(Paradigm):
    name = "mirror-emergence"
    description = "a cortex learns a multi-agent scene without labels: mirror units, egocentric and shuffled controls"
    reference = "Rumelhart & Zipser 1985; Keysers & Perrett 2004; Heyes 2010; Carrillo et al. 2019"
    Params = MirrorEmergenceParams
    phases = ("probe", "similarity", "capacity")
    measures = {
        "overlap": "cosine of the self and other population vectors (mean over events; per event: overlap_EVENT)",
        "specific_overlap": "self/other cosine for the same event minus that for different events",
        "mirror_fraction": "fraction of responsive units that are mirror units (congruent, selective, index > 0.5)",
        "mirror_index": "per unit (session = unit): min/max of self vs other response at its preferred event",
        "rsa": "cosine between probes i and j (session = 10 i + j; probes event-major, self then other)",
        "r2": "R² of a ridge read-out of the scene from the cortical code (held-out repeats)",
        "responsive_units": "units whose peak mean probe response is at least 2 Hz",
        "units_to_match": "egocentric units needed to reach the intact R² at session = intact units",
    }
    figures = ("mirror_emergence",)
    effects = (("probe", "specific_overlap", "intact"), ("probe", "mirror_fraction", "intact"), ("probe", "r2", "intact"))

    def circuit(self, params, region_params=None):
        region_params = dict(region_params or {})
        region_params["cortex"] = WORLD_MODEL_CORTEX | dict(region_params.get("cortex", {}))
        return world_model_circuit(Scene(0, params.sense_list()).channels(), region_params,
                                   thalamocortical=THALAMOCORTICAL)

    def check_circuit(self, graph, params):
        if "cortex" not in graph:
            raise VicariousError("mirror-emergence runs an egocentric cortex itself, as its 'egocentric' condition; "
                                 "--lesion egocentric-cortex would make every condition egocentric, so leave it out")

    def total_sessions(self, params):
        return 3  # development, probes, analysis

    def run(self, graph, params, seeds, sim_options, progress=None):
        roles = {"intact": graph, "untrained": untrained(graph), "shuffled": graph, "egocentric": egocentric(graph)}
        for n in params.capacity_list():
            roles[f"intact-{n}"] = with_cortex_units(graph, n)
            roles[f"egocentric-{n}"] = egocentric(roles[f"intact-{n}"])
        animals = {role: Animal(g, params.sense_list(), scene="world", shuffled=role == "shuffled",
                                noise=params.scene_noise) for role, g in roles.items()}
        arena = Arena(animals, seeds, sim_options, params.step, params.stimulus)
        if params.start_from:
            for seed in seeds:
                arena.sim.load_weights(params.start_from, prefix=f"{arena.label('intact', seed)}/")
        develop(arena, params)
        self.tick(progress)
        probes = probe(arena, params)
        self.tick(progress)
        rows = []
        for i, seed in enumerate(seeds):
            scene = arena.scenes["world"].scenes[i]
            vectors = {shuffled: np.array([scene.vector(scene.frame(e, t, shuffled, noisy=False))
                                           for e, t, _ in probes["trials"]]) for shuffled in (False, True)}
            mine = []
            for label in CONDITIONS:
                mine += _probe_rows(label, _code(arena, label, probes)[:, i], vectors[label == "shuffled"], params)
            mine += _capacity_rows(arena, probes, vectors[False], params, i)
            rows += [{"seed": seed, **row} for row in mine]
        self.tick(progress)
        return rows


def untrained(graph):
    """``graph`` with every plastic projection frozen: the same cortex, never learning."""
    for key in [k for _, _, k, p in projections(graph) if p.plasticity]:
        graph = freeze_plasticity(graph, key)
    return graph


def develop(arena, params):
    """The developmental phase: every animal lives its own random life; every rule learns."""
    arena.develop(params.development_events, params.other_target(), params.p_together, params.event_steps,
                  params.gap_steps, learning=None, adult=params.adult_cortex_learning)


def probe_list(params):
    """``(event, target)`` of every probe: self and the developmental other, then other similarities."""
    main = [(event, "self" if agent == "self" else params.other_target()) for event, agent in PROBES]
    return main + [(event, s) for s in params.similarity_list() for event in EVENTS]


def probe(arena, params):
    """Probe every event and target with plasticity frozen; return the probe table.

    The table: ``trials`` (per trial ``(event, target, repeat)``), ``start`` (first step of
    each trial), ``period`` and ``steps`` per trial.
    """
    trials = [(event, target, r) for r in range(params.probe_repeats) for event, target in probe_list(params)]
    with arena.frozen():
        start = arena.present(trials, params.probe_steps, params.probe_gap_steps,
                              lambda item: dict.fromkeys(arena.live, Percept((Sight(item[0], item[1]),))))
    return {"trials": trials, "start": start, "period": params.probe_steps + params.probe_gap_steps,
            "steps": params.probe_steps}


def _code(arena, role, probes):
    """Trials x animals x units: each cortical unit's mean rate in each probe after its first step."""
    n, period = len(probes["trials"]), probes["period"]
    history = arena.history(probes["start"], probes["start"] + n * period).reshape(n, period, -1)
    window = history[:, 1:probes["steps"]]
    return np.concatenate([arena.rates(role, c, history=window).mean(axis=1) for c in arena.cortex(role)], axis=-1)


def _cosine(a, b):
    norm = np.linalg.norm(a) * np.linalg.norm(b)
    return float(a @ b / norm) if norm > 0 else 0.0


def _means(code, params):
    """Mean response per probe of :func:`probe_list` (probes x units)."""
    n = len(probe_list(params))
    return code.reshape(params.probe_repeats, n, -1).mean(axis=0)


def overlaps(means):
    """Self/other cosine per event from the first ``2 * len(EVENTS)`` rows (event-major)."""
    return np.array([_cosine(means[2 * i], means[2 * i + 1]) for i in range(len(EVENTS))])


def mirror_units(means):
    """``(index, responsive, mirror)`` per unit, from the event-major self/other rows of ``means``."""
    selves, others = means[0:2 * len(EVENTS):2], means[1:2 * len(EVENTS):2]
    best = np.argmax(np.maximum(selves, others), axis=0)
    units = np.arange(means.shape[1])
    s, o = selves[best, units], others[best, units]
    peak = np.maximum(s, o)
    index = np.where(peak > 0, np.minimum(s, o) / np.where(peak > 0, peak, 1), 0.0)
    congruent = (np.argmax(selves, axis=0) == best) & (np.argmax(others, axis=0) == best)
    mirror = congruent & (index > 0.5) & (_selectivity(selves) > SELECTIVE) & (_selectivity(others) > SELECTIVE)
    return index, peak >= RESPONSIVE, mirror


def _selectivity(responses):
    """Per unit ``(R_pref - R_rest) / (R_pref + R_rest)`` over events (rows)."""
    pref = responses.max(axis=0)
    rest = (responses.sum(axis=0) - pref) / (len(responses) - 1)
    total = pref + rest
    return np.where(total > 0, (pref - rest) / np.where(total > 0, total, 1), 0.0)


def _mirror_fraction(means):
    _, responsive, mirror = mirror_units(means)
    return mirror[responsive].mean() if responsive.any() else 0.0


def specific_overlap(selves, others):
    """Mean self/other cosine for the same event minus the mean for different events (rows = events)."""
    cross = np.array([[_cosine(a, b) for b in others] for a in selves])
    n = len(cross)
    return float(np.trace(cross) / n - (cross.sum() - np.trace(cross)) / (n * n - n))


def _probe_rows(label, code, vectors, params):
    row = Paradigm.row
    means = _means(code, params)
    per_event = overlaps(means)
    index, responsive, _ = mirror_units(means)
    selves = means[0:len(PROBES):2]
    rows = [row(label, "probe", 0, "overlap", per_event.mean()),
            row(label, "probe", 0, "specific_overlap", specific_overlap(selves, means[1:len(PROBES):2]))]
    rows += [row(label, "probe", 0, f"overlap_{event}", value) for event, value in zip(EVENTS, per_event)]
    rows.append(row(label, "probe", 0, "responsive_units", responsive.sum()))
    rows.append(row(label, "probe", 0, "mirror_fraction", _mirror_fraction(means)))
    rows += [row(label, "probe", unit, "mirror_index", index[unit]) for unit in np.flatnonzero(responsive)]
    main = means[:len(PROBES)]
    rows += [row(label, "probe", i * len(PROBES) + j, "rsa", _cosine(main[i], main[j]))
             for i in range(len(PROBES)) for j in range(len(PROBES))]
    rows.append(row(label, "probe", 0, "r2", readout_r2(code, vectors, params.probe_repeats)))
    for k, s in enumerate(params.similarity_list()):
        others = means[len(PROBES) + k * len(EVENTS): len(PROBES) + (k + 1) * len(EVENTS)]
        value = np.mean([_cosine(a, b) for a, b in zip(selves, others)])
        rows += [row(label, "similarity", round(100 * s), "overlap", value),
                 row(label, "similarity", round(100 * s), "specific_overlap", specific_overlap(selves, others))]
    return rows


def _capacity_rows(arena, probes, vectors, params, animal):
    row = Paradigm.row
    sizes = params.capacity_list()
    rows, r2 = [], {}
    for condition in ("intact", "egocentric"):
        for n in sizes:
            code = _code(arena, f"{condition}-{n}", probes)[:, animal]
            means = _means(code, params)
            r2[condition, n] = readout_r2(code, vectors, params.probe_repeats)
            rows += [row(condition, "capacity", n, "overlap", overlaps(means).mean()),
                     row(condition, "capacity", n, "specific_overlap",
                         specific_overlap(means[0:len(PROBES):2], means[1:len(PROBES):2])),
                     row(condition, "capacity", n, "mirror_fraction", _mirror_fraction(means)),
                     row(condition, "capacity", n, "r2", r2[condition, n])]
    for n in sizes:
        rows.append(row("egocentric", "capacity", n, "units_to_match",
                        units_to_match(r2["intact", n], sizes, [r2["egocentric", m] for m in sizes])))
    return rows


def units_to_match(goal, sizes, values):
    """Smallest unit count (log-interpolated between ``sizes``) whose R² reaches ``goal``; NaN if none."""
    for k, (n, value) in enumerate(zip(sizes, values)):
        if value >= goal:
            if k == 0:
                return float(n)
            lo, hi, v0 = np.log(sizes[k - 1]), np.log(n), values[k - 1]
            return float(np.exp(lo + (hi - lo) * (goal - v0) / (value - v0)))
    return float("nan")
