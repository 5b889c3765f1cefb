"""Circuit variants: the world model alone, the egocentric control, resizing, cohorts.

Like lesions (:mod:`circuits.lesions`), each variant is a graph transform that leaves
its input untouched.

* :func:`world_model_circuit` — sensory thalamus + cortex, wired as in the default circuit
  (:func:`circuits.graph.connect_sensory_cortex`): the world model on its own.
* :func:`animal_circuit` — the whole default circuit with the world model's cortex settings.
* :func:`egocentric` — the no-shared-code control (``docs/theory.md``): every thalamic channel is
  split into a ``@self`` and an ``@other`` copy, and the cortex into ``cortex@self`` and
  ``cortex@other`` (half the units each), each reading only its own copies. Self and other
  can then share no cortical unit; a scene routes its inputs with :func:`circuits.scene.route`.
* :func:`oracle_reward` — the utility-oracle control (``docs/theory.md``): the learnt reward and
  reflex models (ventral-striatal critic, BLA) read the subject's true bodily state from the
  thalamus instead of the cortical code (a utility oracle, as in AIXI). The world model is
  untouched, so the animal still models others; it cannot feel for them.
* :func:`with_cortex_units` — the same circuit with ``n`` cortical units (the capacity sweep).
* :func:`cohort` — several circuits side by side in one graph (regions and projections
  named ``LABEL/NAME``), so that animals run in one Brian2 network and pay its fixed cost
  per step once (``benchmarks/README.md`` §6).
"""

import dataclasses

import brian2 as b2
import networkx as nx

from circuits.graph import add_region, connect_sensory_cortex, declared_inputs, default_circuit, projections, validate
from regions import REGIONS
from regions.errors import VicariousError, unknown

AGENTS = ("self", "other")

#: Cortex settings of the world model (mirror-emergence and the paradigms built on its scene).
#: Units must stay silent for scenes they are not tuned to, or every unit learns the mean input:
#: a threshold of 50 Hz of drive (about half of what a scene a unit is tuned to delivers) and
#: lateral inhibition of 0.5 between the units of an area, a soft winner-take-most (Rumelhart &
#: Zipser 1985). The default cortex (0.1, 5 Hz) lets every unit answer every scene; stronger
#: inhibition (>= 0.7) made single
#: LIF units (PSPs of several mV) fire from input fluctuations alone in spiking mode.
#: Spiking units integrate over 50 ms (``tau_spiking``, :meth:`regions.cortex.Cortex.time_constant`):
#: with the default 20 ms membrane the shot noise of thalamic and inhibitory PSPs (membrane SD
#: ~6 mV against ~10 mV to threshold) made units fire for 75% of the scenes (rate form: 30%),
#: so every unit learnt a mix and the shuffled world's cortex overlapped as much as the
#: intact one's (0.78 vs 0.89 in one seed). At 50 ms the signal-to-noise of the membrane is
#: ~1.6x higher (it grows as sqrt(tau); Brunel 2000): 41% active, shuffled overlap 0.42.
WORLD_MODEL_CORTEX = {"inhibition": 0.5, "threshold": 50 * b2.Hz, "tau_spiking": 50 * b2.ms}
#: Thalamocortical synapses start strong (w in [0.5, 1]) so that an untrained unit is driven
#: more by a new scene than a unit trained on another one: otherwise a few units capture
#: every scene and the rest never learn ("dead units"; Rumelhart & Zipser 1985). Learning at
#: 0.3 of the circuit's Hebbian rate averages each unit over many events.
THALAMOCORTICAL = {"w_low": 0.5, "w_high": 1.0, "learning": 0.3}


def animal_circuit(channels, actions=None, params=None):
    """The default empathy circuit (:func:`circuits.graph.default_circuit`) with the world model's
    cortex settings: the whole animal of the scene-based paradigms."""
    params = dict(params or {})
    params["cortex"] = WORLD_MODEL_CORTEX | dict(params.get("cortex", {}))
    kwargs = {"actions": actions} if actions else {}
    return default_circuit(channels=channels, params=params, thalamocortical=THALAMOCORTICAL, **kwargs)


def world_model_circuit(channels, params=None, thalamocortical=None):
    """Thalamus relaying ``channels`` (``(name, units)`` pairs) into a learning cortex.

    ``params`` maps ``thalamus``/``cortex`` to parameter overrides (text or quantities);
    ``thalamocortical`` overrides fields of the thalamocortical projections.
    """
    params = params or {}
    for name in params:
        if name not in ("thalamus", "cortex"):
            raise unknown("region", name, ("thalamus", "cortex"))
    graph = nx.MultiDiGraph(name="world model")
    for name, fixed in (("thalamus", {"channels": tuple(channels)}), ("cortex", {})):
        cls = REGIONS[name]
        region = cls(name, cls.Params(**fixed))
        add_region(graph, region.with_params(params[name]) if params.get(name) else region)
    connect_sensory_cortex(graph, [name for name, _ in channels], **(thalamocortical or {}))
    return validate(graph)


#: Thalamic channels that carry the subject's own bodily state (what an oracle reward reads).
SELF_STATE = ("nociception", "taste", "food", "proprioception", "touch")
#: The learnt models an oracle replaces: cortex -> ventral striatum (the pain model and both halves
#: of the critic's value) and cortex -> BLA (threat).
REWARD_MODELS = ("cortex_to_pain_model", "cortex_to_appetitive", "cortex_to_aversive", "cortex_to_bla")


def oracle_reward(graph, thalamus="thalamus"):
    """``graph`` whose reward models read the true self state (see the module docstring).

    Each projection ``cortex_to_X`` of :data:`REWARD_MODELS` is replaced by ``oracle_to_X`` from the
    thalamic :data:`SELF_STATE` channels (their ``@self`` copies in an egocentric circuit) with
    the same learning rule and strength.
    """
    if thalamus not in graph:
        raise unknown("region", thalamus, graph.nodes)
    pops = graph.nodes[thalamus]["region"].slices()
    own = tuple(p for p in pops if p.partition("@")[0] in SELF_STATE and p.partition("@")[2] in ("", "self"))
    if not own:
        raise VicariousError(f"oracle-reward: the thalamus has no self-state channel ({', '.join(SELF_STATE)})")
    out = graph.copy()
    made = set()
    for source, target, key, proj in list(projections(graph)):
        model = key.partition("@")[0]
        if model in REWARD_MODELS:
            out.remove_edge(source, target, key)
            if model not in made:  # an egocentric cortex had one per half; the oracle needs one
                out.add_edge(thalamus, target, key=model.replace("cortex_to_", "oracle_to_"),
                             projection=dataclasses.replace(proj, source_pops=own))
                made.add(model)
    if not made:
        raise VicariousError(f"oracle-reward: the circuit has none of the reward models {', '.join(REWARD_MODELS)}")
    return validate(out)


def _replace_region(graph, name, region):
    """Swap the Region object of node ``name`` (its internal projections stay as they are)."""
    out = graph.copy()
    out.nodes[name]["region"] = region
    return out


def with_cortex_units(graph, n, cortex="cortex"):
    """``graph`` with ``n`` cortical units, split between the areas as in the default cortex."""
    if cortex not in graph:
        raise unknown("region", cortex, graph.nodes)
    region = graph.nodes[cortex]["region"]
    p = region.params
    if not 2 <= n <= 7000:
        raise VicariousError(f"cortical units = {n!r} is out of range; allowed: [2, 7000]")
    acc = max(1, round(n * p.n_acc_insula / (p.n_acc_insula + p.n_association)))
    acc = min(acc, n - 1)
    return validate(_replace_region(graph, cortex, region.with_params(
        {"n_acc_insula": acc, "n_association": n - acc})))


def egocentric(graph, thalamus="thalamus", cortex="cortex"):
    """Self and other routed to disjoint cortical units (see the module docstring).

    The cortex's areas are halved (the self half takes an odd unit) between ``cortex@self``
    and ``cortex@other``; every projection from or to the cortex, and inside it, is made once
    per half (key ``KEY@self``, ``KEY@other``); a thalamic projection elsewhere reads both copies (a
    one-to-one one is made once per copy, so that each unit still reads its own channel unit).
    Lesions already applied (gains, removed populations, scaled projections) carry over.
    """
    for name in (thalamus, cortex):
        if name not in graph:
            raise unknown("region", name, graph.nodes)
    th, cx = graph.nodes[thalamus], graph.nodes[cortex]
    channels = th["region"].params.channels
    if any("@" in name for name, _ in channels):
        raise VicariousError("the circuit is egocentric already (its thalamus has @self/@other channels)")
    p = cx["region"].params
    if min(p.n_acc_insula, p.n_association) < 2:
        raise VicariousError("an egocentric cortex needs at least 2 units per area (one per agent); "
                             f"this one has {p.n_acc_insula} and {p.n_association}")
    out = nx.MultiDiGraph(name=f"{graph.name} (egocentric)", inputs=declared_inputs(graph))
    for name, data in graph.nodes(data=True):
        if name == thalamus:
            split = tuple((f"{pop}@{agent}", size) for pop, size in channels for agent in AGENTS)
            region = type(data["region"])(name, dataclasses.replace(data["region"].params, channels=split))
            gain = {k if k == "*" else f"{k}@{agent}": v for k, v in data["gain"].items() for agent in AGENTS}
            _add_node(out, name, region, gain, frozenset(_copies(data["removed"], AGENTS)))
        elif name == cortex:
            for i, agent in enumerate(AGENTS):
                half = {"n_acc_insula": (p.n_acc_insula + 1 - i) // 2, "n_association": (p.n_association + 1 - i) // 2}
                region = type(data["region"])(f"{cortex}@{agent}", p.updated(half))
                _add_node(out, f"{cortex}@{agent}", region, data["gain"], data["removed"])
        else:
            _add_node(out, name, data["region"], data["gain"], data["removed"])
    everything = tuple(pop for pop, _ in channels)
    for source, target, key, proj in projections(graph):
        one_to_one = source == thalamus and proj.connectivity == "one_to_one"  # a copy each: unit i reads unit i
        for agent in (AGENTS if cortex in (source, target) or one_to_one else (None,)):
            mine = (agent,) if agent else AGENTS  # the thalamic copies this edge reads or drives
            fields = {}
            for end, node, pops in (("source_pops", source, proj.source_pops), ("target_pops", target, proj.target_pops)):
                if node == thalamus and (pops or agent):
                    fields[end] = _copies(pops or everything, mine)
            out.add_edge(f"{cortex}@{agent}" if source == cortex else source,
                         f"{cortex}@{agent}" if target == cortex else target,
                         key=f"{key}@{agent}" if agent else key, projection=dataclasses.replace(proj, **fields))
    return validate(out)


def _add_node(graph, name, region, gain, removed):
    """A node as :func:`~circuits.graph.add_region` makes it, but without internal projections."""
    graph.add_node(name, region=region, gain=dict(gain), removed=frozenset(removed))


def _copies(pops, agents):
    return tuple(f"{pop}@{agent}" for pop in pops for agent in agents)


def cohort(graphs):
    """One graph holding the circuits ``graphs`` (label -> graph) side by side, names ``LABEL/NAME``."""
    out = nx.MultiDiGraph(name="cohort")
    out.graph["inputs"] = {f"{label}/{name}": {**spec, "region": f"{label}/{spec['region']}"}
                           for label, graph in graphs.items() for name, spec in declared_inputs(graph).items()}
    for label, graph in graphs.items():
        if not label or "/" in label:
            raise VicariousError(f"cohort label {label!r} must be non-empty and contain no '/'")
        for name, data in graph.nodes(data=True):
            region = data["region"]
            _add_node(out, f"{label}/{name}", type(region)(f"{label}/{name}", region.params), data["gain"],
                      data["removed"])
        for source, target, key, proj in projections(graph):
            out.add_edge(f"{label}/{source}", f"{label}/{target}", key=f"{label}/{key}", projection=proj)
    return validate(out)
