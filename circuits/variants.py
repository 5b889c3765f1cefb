"""Circuit variants: the world model alone, the egocentric control, resizing, cohorts.

Like lesions (:mod:`circuits.lesions`), each variant is a graph transform that leaves
its input untouched.

* :func:`world_model_circuit` — sensory thalamus + cortex, wired as in the default circuit
  (:func:`circuits.graph.connect_sensory_cortex`): the world model on its own.
* :func:`egocentric` — the control of ``shared/DESIGN.md`` §1: every thalamic channel is
  split into a ``@self`` and an ``@other`` copy, and the cortex into ``cortex@self`` and
  ``cortex@other`` (half the units each), each reading only its own copies. Self and other
  can then share no cortical unit; a scene routes its inputs with :func:`circuits.scene.route`.
* :func:`with_cortex_units` — the same circuit with ``n`` cortical units (the capacity sweep).
* :func:`cohort` — several circuits side by side in one graph (regions and projections
  named ``LABEL/NAME``), so that animals run in one Brian2 network and pay its fixed cost
  per step once (``shared/BRIAN2-NOTES.md``).
"""

import dataclasses

import networkx as nx

from circuits.graph import add_region, connect_sensory_cortex, projections, validate
from regions import REGIONS
from regions.errors import VicariousError, unknown

AGENTS = ("self", "other")


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
    per half (key ``KEY@self``, ``KEY@other``); a thalamic projection elsewhere reads both copies.
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
    out = nx.MultiDiGraph(name=f"{graph.name} (egocentric)")
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
        for agent in (AGENTS if cortex in (source, target) else (None,)):
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
