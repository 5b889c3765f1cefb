"""Lesions are graph transforms: each takes a circuit graph and returns a new one.

Primitive transforms (compose by chaining; none touches its input):

* :func:`remove_region` — the node goes, and with it every projection from or to it;
* :func:`remove_population` — ablate one named population inside a region (its units
  fall silent and every projection from or to them is dropped);
* :func:`scale_gain` — graded hypoactivity: the transfer gain of a region (or population)
  times a factor;
* :func:`scale_projection` — weaken (factor < 1) or cut (factor 0) a projection;
* :func:`freeze_plasticity` — switch a projection's learning rule off.

Named lesions (:data:`LESIONS`) are documented compositions of these with a severity in
[0, 1]; on the command line ``--lesion NAME[:SEVERITY]``. The primitives are reachable
too: ``remove:REGION[.POP]``, ``gain:REGION[.POP]=F``, ``cut:PROJECTION``,
``weaken:PROJECTION=F``, ``freeze:PROJECTION``.
"""

import dataclasses

from circuits.graph import find_projection, projections
from regions.errors import VicariousError, unknown


def _copy(graph):
    out = graph.copy()
    for _, data in out.nodes(data=True):
        data["gain"] = dict(data["gain"])
    return out


def remove_region(graph, region):
    if region not in graph:
        raise unknown("region", region, graph.nodes)
    out = _copy(graph)
    out.remove_node(region)  # networkx drops every edge from or to it
    return out


def remove_population(graph, region, pop):
    if region not in graph:
        raise unknown("region", region, graph.nodes)
    slices = graph.nodes[region]["region"].slices()
    if pop not in slices:
        raise unknown(f"population of {region}", pop, slices)
    out = _copy(graph)
    out.nodes[region]["removed"] = out.nodes[region]["removed"] | {pop}
    return out


def scale_gain(graph, region, factor, pop="*"):
    if region not in graph:
        raise unknown("region", region, graph.nodes)
    if pop != "*" and pop not in graph.nodes[region]["region"].slices():
        raise unknown(f"population of {region}", pop, graph.nodes[region]["region"].slices())
    _check_factor(factor, 10.0)
    out = _copy(graph)
    gains = out.nodes[region]["gain"]
    gains[pop] = gains.get(pop, gains.get("*", 1.0)) * factor
    return out


def scale_projection(graph, key, factor):
    _check_factor(factor, 10.0)
    source, target, key = find_projection(graph, key)
    out = _copy(graph)
    data = out.edges[source, target, key]
    data["projection"] = dataclasses.replace(data["projection"], scale=data["projection"].scale * factor)
    return out


def freeze_plasticity(graph, key):
    source, target, key = find_projection(graph, key)
    out = _copy(graph)
    data = out.edges[source, target, key]
    if not data["projection"].plasticity:
        raise VicariousError(f"projection {key!r} is not plastic; nothing to freeze")
    data["projection"] = dataclasses.replace(data["projection"], learning=0.0)
    return out


def _check_factor(factor, high):
    if not 0.0 <= factor <= high:
        raise VicariousError(f"scaling factor {factor} is out of range; allowed: [0, {high}]")


def _present(graph, keys):
    have = {k for _, _, k, _ in projections(graph)}
    return [k for k in keys if k in have]


def _weaken(keys):
    def apply(graph, severity):
        for key in _present(graph, keys):
            graph = scale_projection(graph, key, 1.0 - severity)
        return graph
    return apply


def _hypo(*regions):
    def apply(graph, severity):
        for region in regions:
            if region in graph:
                graph = scale_gain(graph, region, 1.0 - severity)
        return graph
    return apply


def _remove(*regions):
    def apply(graph, severity):
        if severity < 1.0:  # a partial lesion leaves a hypoactive remnant
            return _hypo(*regions)(graph, severity)
        for region in regions:
            if region in graph:
                graph = remove_region(graph, region)
        return graph
    return apply


def _remove_pop(region, pop):
    def apply(graph, severity):
        if severity < 1.0:
            return scale_gain(graph, region, 1.0 - severity, pop)
        return remove_population(graph, region, pop)
    return apply


@dataclasses.dataclass(frozen=True)
class Lesion:
    """A named, documented lesion: ``apply(graph, severity)`` returns the lesioned graph."""

    name: str
    description: str
    reference: str
    apply: object


CORTEX_TO_REWARD = ("cortex_to_ventral_striatum", "cortex_to_d1", "cortex_to_d2")

LESIONS = {lesion.name: lesion for lesion in [
    Lesion("amygdala", "remove BLA and CeA", "Adolphs et al. 1995; Blair 2007 (amygdala in psychopathy)",
           _remove("bla", "cea")),
    Lesion("bla", "remove the basolateral amygdala", "Jeon et al. 2010 (observational fear needs amygdala)",
           _remove("bla")),
    Lesion("cea", "remove the central amygdala", "Ciocchi et al. 2010", _remove("cea")),
    Lesion("amygdala-hypoactivity", "scale BLA and CeA gain by 1 - severity",
           "Blair 2007; Marsh et al. 2008 (reduced amygdala response in psychopathy)", _hypo("bla", "cea")),
    Lesion("pag", "remove the periaqueductal grey", "Tovote et al. 2016; Johansen et al. 2010", _remove("pag")),
    Lesion("acc-insula", "ablate the cortical ACC/insula population",
           "Hernandez-Lallement et al. 2020 (ACC deactivation abolishes harm aversion); Jeon et al. 2010",
           _remove_pop("cortex", "acc_insula")),
    Lesion("vta", "dopamine depletion: remove the VTA", "Frank et al. 2004 (dopamine depletion and Go/NoGo learning)",
           _remove("vta")),
    Lesion("ventral-striatum", "remove the ventral striatum (critic)", "Cardinal et al. 2001", _remove("ventral_striatum")),
    Lesion("cortex-striatum", "weaken cortex -> striatum (critic and actor) by severity",
           "Hosking et al. 2017; Motzkin et al. 2011 (reduced vmPFC-striatal connectivity in psychopathy)",
           _weaken(CORTEX_TO_REWARD)),
    Lesion("cortex-amygdala", "weaken cortex -> BLA by severity", "Motzkin et al. 2011", _weaken(("cortex_to_bla",))),
]}


def parse_lesion(text):
    """``(apply, label)`` from ``NAME[:SEVERITY]`` or a primitive (see module docstring)."""
    text = text.strip()
    kind, _, rest = text.partition(":")
    if kind in ("remove", "gain", "cut", "weaken", "freeze") and rest:
        return _primitive(kind, rest), text
    name, _, sev = text.partition(":")
    if name not in LESIONS:
        raise unknown("lesion", name, list(LESIONS) + ["remove:REGION[.POP]", "gain:REGION[.POP]=F",
                                                       "cut:PROJECTION", "weaken:PROJECTION=F", "freeze:PROJECTION"])
    severity = _number(sev, f"severity of lesion {name!r}") if sev else 1.0
    if not 0.0 <= severity <= 1.0:
        raise VicariousError(f"severity of lesion {name!r} is {severity}; allowed: [0, 1]")
    lesion = LESIONS[name]
    return (lambda graph: lesion.apply(graph, severity)), text


def _number(text, what):
    try:
        return float(text)
    except ValueError:
        raise VicariousError(f"{what}: cannot read {text!r} as a number") from None


def _primitive(kind, rest):
    target, _, value = rest.partition("=")
    region, _, pop = target.partition(".")
    if kind == "remove":
        return (lambda g: remove_population(g, region, pop)) if pop else (lambda g: remove_region(g, region))
    if kind == "gain":
        factor = _number(value, f"gain:{target}")
        return lambda g: scale_gain(g, region, factor, pop or "*")
    if kind == "cut":
        return lambda g: scale_projection(g, target, 0.0)
    if kind == "weaken":
        factor = _number(value, f"weaken:{target}")
        return lambda g: scale_projection(g, target, factor)
    return lambda g: freeze_plasticity(g, target)


def apply_lesions(graph, specs):
    """Apply lesion specs (text) in order; returns the lesioned graph."""
    for spec in specs:
        apply, _ = parse_lesion(spec)
        graph = apply(graph)
    return graph
