"""Turn a circuit graph into one Brian2 ``Network``.

Brian2 pays a fixed price per object and time step (~8-15 µs on the numpy target;
``benchmarks/README.md``), so the builder packs the circuit into as few objects as
it can: all regions' units go into **one** ``NeuronGroup`` (each region and population
is an index range, and every unit carries its own ``tau``, ``gain``, ``bias`` and ``noise``),
and all projections that share a port and a learning rule go into one ``Synapses``. A
projection remains addressable by its key (:meth:`BuiltCircuit.weights`).

Removed populations stay in the group but are silenced, and every projection from or
to them is dropped.
"""

import dataclasses
import re

import brian2 as b2
import numpy as np

from circuits.graph import block_count, projections, validate
from regions.errors import VicariousError, unknown
from regions.neurons import (
    MODES,
    NeuronParams,
    lif_drive_for_rate,
    lif_transfer,
    make_group,
    step_reset,
    unit_equations,
)
from regions.neurons import namespace as neuron_namespace
from regions.plasticity import PlasticityParams, rule_equations, rule_step_code


@dataclasses.dataclass
class BuiltCircuit:
    """The Brian2 objects of a circuit, addressable by region, population and projection."""

    graph: object
    mode: str
    network: b2.Network
    group: b2.NeuronGroup
    synapses: dict  # synapse-object name -> Synapses
    regions: dict  # region name -> Region
    offsets: dict  # region name -> first unit index
    edges: dict  # projection key -> (synapse-object name, synapse indices)

    def units(self, region, pop=None):
        """Slice of the group's units for ``region`` (or one of its populations)."""
        if region not in self.regions:
            raise unknown("region", region, self.regions)
        start = self.offsets[region]
        if pop is None:
            return slice(start, start + self.regions[region].size())
        slices = self.regions[region].slices()
        if pop not in slices:
            raise unknown(f"population of {region}", pop, slices)
        return slice(start + slices[pop].start, start + slices[pop].stop)

    def projection(self, key):
        if key not in self.edges:
            raise unknown("projection", key, self.edges)
        name, index = self.edges[key]
        return self.synapses[name], index

    def weights(self, key):
        syn, index = self.projection(key)
        return np.asarray(syn.w[:])[index]

    def set_weights(self, key, values):
        syn, index = self.projection(key)
        w = np.array(syn.w[:])
        w[index] = values
        syn.w[:] = w


def _pairs(proj, src_idx, tgt_idx, key=""):
    if proj.connectivity == "one_to_one":
        return np.asarray(src_idx), np.asarray(tgt_idx)
    if proj.connectivity == "blocks":  # block b of the source to block b of the target
        n = block_count(len(src_idx), len(tgt_idx))
        if n is None:  # e.g. part of a multi-population end was removed
            raise VicariousError(f"projection {key!r} has blocks connectivity but {len(src_idx)} sources and "
                                 f"{len(tgt_idx)} targets: the larger must be a multiple of the smaller")
        pairs = [np.meshgrid(s, t, indexing="ij")
                 for s, t in zip(np.array_split(np.asarray(src_idx), n), np.array_split(np.asarray(tgt_idx), n))]
        return np.concatenate([i.ravel() for i, _ in pairs]), np.concatenate([j.ravel() for _, j in pairs])
    i, j = np.meshgrid(src_idx, tgt_idx, indexing="ij")
    i, j = i.ravel(), j.ravel()
    if proj.connectivity == "all_but_self":
        keep = i != j
        i, j = i[keep], j[keep]
    return i, j


def _synapse_kind(proj):
    rule = proj.plasticity or "fixed"
    if rule == "three_factor":
        rule += "_" + proj.eligibility
    return f"{proj.port}_{rule}"


def build(graph, mode="rate", seed=0, neuron=None, plasticity=None, prefix="", step=50 * b2.ms, seeds=None):
    """Build ``graph`` into a :class:`BuiltCircuit` (Brian2 objects, not yet run).

    ``step`` is the scene step: prediction errors and the learning they drive are
    computed at the end of every step (see :mod:`regions.plasticity`). Initial weights are drawn
    from ``seed``; ``seeds`` (label -> seed) gives each animal of a cohort graph
    (:func:`circuits.variants.cohort`, projections ``LABEL/KEY``) a generator of its own, so an
    animal starts with the same weights whatever cohort it is built in.
    """
    if mode not in MODES:
        raise unknown("mode", mode, MODES)
    neuron = neuron or NeuronParams()
    plasticity = plasticity or PlasticityParams()
    validate(graph)
    default_rng = np.random.default_rng(seed)
    rngs = {label: np.random.default_rng(s) for label, s in (seeds or {}).items()}
    regions = {name: data["region"] for name, data in graph.nodes(data=True)}
    offsets, n = {}, 0
    for name, region in regions.items():
        offsets[name] = n
        n += region.size()

    # projections that survive population removals, grouped into synapse objects
    kinds = {}
    for source, target, key, proj in projections(graph):
        src = [offsets[source] + i for i in regions[source].indices(proj.source_pops, graph.nodes[source]["removed"])]
        tgt = [offsets[target] + i for i in regions[target].indices(proj.target_pops, graph.nodes[target]["removed"])]
        pairs = _pairs(proj, src, tgt, key) if src and tgt else ([], [])
        if len(pairs[0]):  # e.g. lateral inhibition in a one-unit area has no pairs
            kinds.setdefault(_synapse_kind(proj), []).append((key, proj, pairs))

    ports = {port: [] for region in regions.values() for port in region.ports}
    for kind, members in kinds.items():
        ports[members[0][1].port].append((f"{kind}_syn", 1))

    extra, constants, terms, step_codes = [], {}, {}, []
    for region in regions.values():
        for line in region.extra_equations().splitlines():  # regions may share equations (a gain port)
            if line and line not in extra:
                extra.append(line)
        if region.step_code() and region.step_code() not in step_codes:
            step_codes.append(region.step_code())
        for const, value in region.namespace().items():
            constants.setdefault(const, value)
        for term in region.drive_terms:
            terms.setdefault(term, []).append(region.name)
    drive = " + ".join(["I", "bias", "I_ext"] + [f"use_{t} * {t}" for t in terms])
    declared = [f"{c} : {_unit_name(v)} (constant)" for c, v in constants.items()]
    declared += [f"use_{t} : 1 (constant)" for t in terms] + ["I_ext : Hz"]
    eqs = unit_equations(mode, drive, ports, "\n".join(extra + declared))
    group = make_group(mode, n, eqs, neuron, _name(prefix + "circuit"), neuron.dt(mode))
    group.lag = neuron.dt(mode) if mode == "rate" else neuron.tau_syn
    group.namespace["t_step"] = step
    # at each step boundary: TD errors (order 1), then learning (2), then reset of the step integrals (3)
    if step_codes:
        group.run_regularly("\n".join(step_codes), dt=step, when="start", order=1, name=_name(prefix + "td_errors"))
    group.run_regularly(step_reset(ports), dt=step, when="start", order=3, name=_name(prefix + "step_reset"))

    for const, value in constants.items():
        setattr(group, const, value)
    for name, region in regions.items():
        node, base = graph.nodes[name], offsets[name]
        for const, value in region.namespace().items():
            getattr(group, const)[base:base + region.size()] = value
        for term in region.drive_terms:
            getattr(group, f"use_{term}")[base:base + region.size()] = 1
        group.tau[base:base + region.size()] = region.time_constant(mode)
        for pop, settings in region.populations().items():
            sl = region.slices()[pop]
            sl = slice(base + sl.start, base + sl.stop)
            alive = pop not in node["removed"]
            scale = node["gain"].get(pop, node["gain"].get("*", 1.0))
            group.gain[sl] = settings.gain * scale * alive
            bias = settings.bias
            if mode == "spiking":  # the LIF matched to its rate twin (regions.neurons)
                tau, gain = region.time_constant(mode), settings.gain * scale
                if bias > 0 * b2.Hz:  # a tonic unit: the same tonic rate
                    group.slope[sl], group.offset[sl] = 1.0, 0 * b2.Hz
                    bias = lif_drive_for_rate(bias, tau, neuron, settings.gain, settings.noise)
                else:  # the same f-I curve
                    slope, offset = lif_transfer(tau, neuron, gain, settings.noise) if gain > 0 else (1.0, 0 * b2.Hz)
                    group.slope[sl], group.offset[sl] = slope, offset * alive
            group.bias[sl] = bias * alive
            group.noise[sl] = settings.noise * alive

    synapses, edges = {}, {}
    ns = neuron_namespace(neuron) | plasticity.namespace() | {"t_step": step}
    for kind, members in kinds.items():
        proj0 = members[0][1]
        var = f"{kind}_syn"
        model = [rule_equations(proj0.plasticity, proj0.eligibility) or "w : 1",
                 "efficacy : 1 (constant)", "plastic : 1 (constant)", "polarity : 1 (constant)"]
        kwargs = {}
        if mode == "rate":
            model.append(f"{var}_in_post = polarity * efficacy * w * r_pre : Hz (summed)")
        else:
            kwargs["on_pre"] = f"{var}_post += polarity * efficacy * w / tau_syn"
        syn = b2.Synapses(group, group, "\n".join(model), method="euler", namespace=ns,
                          dt=neuron.dt(mode), name=_name(prefix + "syn_" + kind),
                          order=1, **kwargs)  # explicit: after the units, whatever the names
        pieces = [pairs for _, _, pairs in members]
        syn.connect(i=np.concatenate([p[0] for p in pieces]), j=np.concatenate([p[1] for p in pieces]))
        start = 0
        values = {k: np.zeros(len(syn)) for k in ("w", "efficacy", "plastic", "polarity", "dopamine_sign", "delay")}
        for key, proj, (i, _) in members:
            index = np.arange(start, start + len(i))
            start += len(i)
            edges[key] = (syn.name, index)
            rng = rngs.get(key.partition("/")[0], default_rng)
            values["w"][index] = rng.uniform(proj.w_low, proj.w_high, size=len(i))
            values["efficacy"][index] = proj.weight * proj.scale
            values["plastic"][index] = proj.learning if proj.plasticity else 0.0
            values["polarity"][index] = proj.sign
            values["dopamine_sign"][index] = proj.dopamine_sign
            values["delay"][index] = float(proj.delay)
        for k in ("w", "efficacy", "plastic", "polarity"):
            setattr(syn, k, values[k])
        if proj0.plasticity == "three_factor":
            syn.dopamine_sign = values["dopamine_sign"]
        if mode == "spiking":
            syn.delay = values["delay"] * b2.second
        step_code = rule_step_code(proj0.plasticity, proj0.eligibility)
        if step_code:
            syn.run_regularly(step_code, dt=step, when="start", order=2)
        synapses[syn.name] = syn

    network = b2.Network(group, *synapses.values())
    return BuiltCircuit(graph, mode, network, group, synapses, regions, offsets, edges)


def _unit_name(value):
    """The Brian2 base-unit name of ``value``'s dimensions, for an equation declaration."""
    dims = b2.get_dimensions(value)
    return "1" if dims.is_dimensionless else repr(b2.get_unit(dims))


def _name(text):
    return re.sub(r"\W", "_", text)
