"""Lesions are graph transforms: each takes a circuit graph and returns a new one.

Primitive transforms (compose by chaining; none touches its input):

* :func:`remove_region` — the node goes, and with it every projection from or to it;
* :func:`remove_population` — ablate one named population inside a region (its units
  fall silent and every projection from or to them is dropped);
* :func:`scale_gain` — graded hypoactivity: the transfer gain of a region (or population)
  times a factor;
* :func:`scale_projection` — weaken (factor < 1) or cut (factor 0) a projection;
* :func:`scale_learning` — slow (factor < 1) or freeze (factor 0, :func:`freeze_plasticity`) a
  projection's learning rule.

Named lesions (:data:`LESIONS`) are documented compositions of these with a severity in
[0, 1]; on the command line ``--lesion NAME[:SEVERITY]``. The control architectures of
:mod:`circuits.variants` (``egocentric-cortex``, ``oracle-reward``) are applied the same way
(without a severity), so that a study compares them with the intact circuit like lesions. The primitives are reachable
too: ``remove:REGION[.POP]``, ``gain:REGION[.POP]=F``, ``cut:PROJECTION``,
``weaken:PROJECTION=F``, ``freeze:PROJECTION``.
"""

import dataclasses

from circuits import variants
from circuits.graph import find_projection, projections, social_salience
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


def scale_learning(graph, key, factor):
    _check_factor(factor, 10.0)
    source, target, key = find_projection(graph, key)
    out = _copy(graph)
    data = out.edges[source, target, key]
    if not data["projection"].plasticity:
        raise VicariousError(f"projection {key!r} is not plastic; its learning cannot be changed")
    data["projection"] = dataclasses.replace(data["projection"], learning=data["projection"].learning * factor)
    return out


def freeze_plasticity(graph, key):
    return scale_learning(graph, key, 0.0)


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


def _slow(keys):
    def apply(graph, severity):
        for key in _present(graph, keys):
            graph = scale_learning(graph, key, 1.0 - severity)
        return graph
    return apply


def _social_salience(sign):
    """Oxytocin: the salience of others' signals x (1 + sign * severity), applied where the animal perceives
    another (:func:`circuits.scene.route`), never to its own body or its own expression."""
    def apply(graph, severity):
        factor = 1.0 + sign * severity
        _check_factor(factor, 10.0)
        out = _copy(graph)
        out.graph["social_salience"] = social_salience(graph) * factor
        return out
    return apply


def _compose(*parts):
    def apply(graph, severity):
        for part, weight in parts:
            graph = part(graph, weight * severity)
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


#: The ventral striatum's cortical input: the reward model (pain) and both halves of the critic
#: (see :mod:`regions.basal_ganglia`).
CORTEX_TO_CRITIC = ("cortex_to_pain_model", "cortex_to_appetitive", "cortex_to_aversive")
CORTEX_TO_REWARD = CORTEX_TO_CRITIC + ("cortex_to_d1", "cortex_to_d2")
#: What learns from punishment: threat (cortex -> BLA), the pain model, and dopamine dips (the
#: aversive critic, D2 NoGo).
PUNISHMENT_LEARNING = ("cortex_to_bla", "cortex_to_pain_model", "cortex_to_aversive", "cortex_to_d2")

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
    Lesion("pfc", "remove the prefrontal cortex: its context and the learnt context gate on the amygdala's "
           "output and the striatal pain model",
           "Quirk et al. 2003 (mPFC stimulation inhibits CeA output through the intercalated cells); "
           "Sierra-Mercado, Padilla-Coreano & Quirk 2011 (prelimbic and infralimbic inactivation)", _remove("pfc")),
    Lesion("vta", "dopamine depletion: remove the VTA", "Frank et al. 2004 (dopamine depletion and Go/NoGo learning)",
           _remove("vta")),
    Lesion("ventral-striatum", "remove the ventral striatum (critic)", "Cardinal et al. 2001", _remove("ventral_striatum")),
    Lesion("cortex-striatum", "weaken cortex -> striatum (critic and actor) by severity",
           "Hosking et al. 2017; Motzkin et al. 2011 (reduced vmPFC-striatal connectivity in psychopathy)",
           _weaken(CORTEX_TO_REWARD)),
    Lesion("cortex-critic", "weaken cortex -> ventral striatum (the input of the reward model and the critic) by "
           "severity; the actor's cortex -> dorsal striatum input is spared",
           "O'Doherty et al. 2004 (ventral striatum critic, dorsal striatum actor); Hosking et al. 2017 "
           "(ventral-striatal connectivity in psychopathy)", _weaken(CORTEX_TO_CRITIC)),
    Lesion("cortex-amygdala", "weaken cortex -> BLA by severity", "Motzkin et al. 2011", _weaken(("cortex_to_bla",))),
    Lesion("punishment-learning", "blunted punishment learning: the amygdala's threat learning (cortex -> BLA), the "
           "striatal pain model's, and learning from dopamine dips (the aversive critic, cortex -> D2 NoGo) slowed "
           "by 1 - severity",
           "Newman & Kosson 1986 (passive-avoidance deficits); Birbaumer et al. 2005 (deficient fear "
           "conditioning in psychopathy); Frank et al. 2004 (D2 NoGo learning from dips)",
           _slow(PUNISHMENT_LEARNING)),
    Lesion("oxytocin-up", "oxytocin raises the salience of others: what the animal perceives of another "
           "(its expression, who it is) x (1 + severity); its own body and expression unchanged",
           "Pisansky et al. 2017 (intranasal oxytocin enhances observational fear, also of an unfamiliar "
           "mouse, and ACC activity, and leaves directly acquired fear unchanged); "
           "Shamay-Tsoory & Abu-Akel 2016 (social-salience account)", _social_salience(+1)),
    Lesion("oxytocin-down", "oxytocin blockade: the salience of others x (1 - severity)",
           "Burkett et al. 2016 (an oxytocin-receptor antagonist in the ACC abolishes consolation of a "
           "distressed partner); Pisansky et al. 2017",
           _social_salience(-1)),
    Lesion("psychopathy", "profile: amygdala hypoactivity, weakened cortex -> critic (ventral striatum) "
           "connectivity and blunted punishment learning, each at 0.8 x severity (responses are reduced, "
           "not absent; reward learning itself is spared)",
           "Blair 2007 (amygdala and vmPFC in psychopathy); Hosking et al. 2017 (weak cortico-striatal "
           "connectivity); Birbaumer et al. 2005",
           _compose((_hypo("bla", "cea"), 0.8), (_weaken(CORTEX_TO_CRITIC), 0.8),
                    (_slow(PUNISHMENT_LEARNING), 0.8))),
]}


def _whole(transform):
    def apply(graph, severity):
        if severity != 1.0:
            raise VicariousError("a control architecture takes no severity")
        return transform(graph)
    return apply


ARCHITECTURES = {lesion.name: lesion for lesion in [
    Lesion("egocentric-cortex", "control architecture: self and other routed to disjoint cortical units "
           "(no shared code)", "Keysers & Gazzola 2009 (shared circuits for one's own and others' states); "
           "docs/theory.md (no shared code, no empathy)",
           _whole(variants.egocentric)),
    Lesion("oracle-reward", "control architecture: critic and BLA read the true self state, not the "
           "cortical code (a utility oracle)", "Hutter 2005 (AIXI: a utility "
           "maximiser models others and feels nothing); docs/theory.md", _whole(variants.oracle_reward)),
]}
LESIONS.update(ARCHITECTURES)


PRIMITIVES = ("remove", "gain", "cut", "weaken", "freeze")


def parse_lesion(text):
    """``(apply, label)`` from ``NAME[:SEVERITY]`` or a primitive (see module docstring)."""
    text = text.strip()
    kind, colon, rest = text.partition(":")
    if kind in PRIMITIVES:
        if not rest.strip():
            raise VicariousError(f"--lesion {text!r}: {kind} needs a target, e.g. {_PRIMITIVE_FORMS[kind]}")
        return _primitive(kind, rest.strip()), text
    if colon and not rest.strip():
        raise VicariousError(f"--lesion {text!r}: the severity after ':' is missing; give NAME (severity 1) or "
                             f"NAME:SEVERITY with SEVERITY in [0, 1], e.g. {kind}:0.5")
    name, severity = named_severity(text)
    lesion = LESIONS[name]
    return (lambda graph: lesion.apply(graph, severity)), text


def named_severity(text):
    """``(name, severity)`` of a named lesion ``NAME[:SEVERITY]`` (severity 1 when not given)."""
    name, _, sev = text.strip().partition(":")
    if name not in LESIONS:
        raise unknown("lesion", name, list(LESIONS) + ["remove:REGION[.POP]", "gain:REGION[.POP]=F",
                                                       "cut:PROJECTION", "weaken:PROJECTION=F", "freeze:PROJECTION"])
    severity = _number(sev, f"severity of lesion {name!r}") if sev else 1.0
    if not 0.0 <= severity <= 1.0:
        raise VicariousError(f"severity of lesion {name!r} is {severity}; allowed: [0, 1]")
    return name, severity


def _number(text, what):
    try:
        return float(text)
    except ValueError:
        raise VicariousError(f"{what}: cannot read {text!r} as a number") from None


_PRIMITIVE_FORMS = {"remove": "remove:REGION[.POP]", "gain": "gain:REGION[.POP]=F", "cut": "cut:PROJECTION",
                    "weaken": "weaken:PROJECTION=F", "freeze": "freeze:PROJECTION"}


def _primitive(kind, rest):
    target, eq, value = rest.partition("=")
    target = target.strip()
    takes_value = kind in ("gain", "weaken")
    if eq and not takes_value:
        hint = {"remove": "gain:REGION[.POP]=F scales a region's gain", "cut": "weaken:PROJECTION=F scales a "
                "projection", "freeze": "weaken:PROJECTION=F scales a projection"}[kind]
        raise VicariousError(f"--lesion {kind}:{rest}: {kind} takes no value ({_PRIMITIVE_FORMS[kind]}); {hint}")
    if takes_value and not value.strip():
        raise VicariousError(f"--lesion {kind}:{rest}: {kind} needs a factor, e.g. {_PRIMITIVE_FORMS[kind]}")
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
    """Apply lesion specs (text) in order; returns the lesioned graph.

    A spec that names a part an earlier spec removed is refused, saying so."""
    original, earlier = graph, []
    for spec in specs:
        apply, _ = parse_lesion(spec)
        try:
            graph = apply(graph)
        except VicariousError as err:
            if not earlier:
                raise
            try:
                apply(original)
            except VicariousError:
                raise err from None
            raise VicariousError(f"--lesion {spec!r} names {_removed(spec, original, graph)}, which "
                                 f"{' and '.join(map(repr, earlier))} already removed; drop one of the two") from None
        earlier.append(spec)
    return graph


def _removed(spec, original, lesioned):
    """What ``spec`` names that is in ``original`` but not in ``lesioned`` (words for an error)."""
    target = spec.partition(":")[2].partition("=")[0].strip()
    for source, dest, key, _ in projections(original):
        if key == target:
            gone = [r for r in (source, dest) if r not in lesioned]
            return f"the projection {key!r} (removed with {' and '.join(map(repr, gone))})" if gone else \
                f"the projection {key!r}"
    region = target.partition(".")[0]
    if region in original and region not in lesioned:
        return f"the region {region!r}"
    return "a part of the circuit"
