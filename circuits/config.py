"""Resolve a run's configuration from the command line: paradigm, mode, seeds, lesions, --set.

``--set KEY=VALUE`` keys are ``paradigm.NAME``, ``neuron.NAME``, ``plasticity.NAME`` or
``REGION.NAME``; values are read without ``eval`` (``20*ms``, ``20 ms``, ``0.5``, ``true``).
Everything is validated here, before anything runs or any folder is written.
"""

import dataclasses

from circuits.cohorts import COHORT
from circuits.graph import validate
from circuits.lesions import apply_lesions
from circuits.paradigms import PARADIGMS
from circuits.simulation import CODEGEN_TARGETS, default_codegen
from regions.errors import VicariousError, unknown
from regions.neurons import MODES, NeuronParams
from regions.plasticity import PlasticityParams


@dataclasses.dataclass
class RunConfig:
    """Everything needed to reproduce a run."""

    paradigm: str
    mode: str = "rate"
    seeds: tuple = (0, 1, 2)
    lesions: tuple = ()
    codegen: str = "numpy"
    params: object = None  # the paradigm's Params
    region_params: dict = dataclasses.field(default_factory=dict)  # region -> {name: text}
    neuron: NeuronParams = dataclasses.field(default_factory=NeuronParams)
    plasticity: PlasticityParams = dataclasses.field(default_factory=PlasticityParams)
    cohort: int = COHORT

    @property
    def lesion_label(self):
        return "+".join(self.lesions) if self.lesions else "intact"

    def sim_options(self):
        return {"mode": self.mode, "neuron": self.neuron, "plasticity": self.plasticity, "codegen": self.codegen}

    def circuit(self):
        """The paradigm's circuit with region overrides and lesions applied."""
        paradigm = PARADIGMS[self.paradigm]
        return apply_lesions(paradigm.circuit(self.params, self.region_params), self.lesions)

    def as_dict(self):
        return {"paradigm": self.paradigm, "mode": self.mode, "seeds": list(self.seeds),
                "lesions": list(self.lesions), "codegen": self.codegen,
                "paradigm_params": self.params.as_dict(), "region_params": self.region_params,
                "neuron": self.neuron.as_dict(), "plasticity": self.plasticity.as_dict(), "cohort": self.cohort}


def parse_sets(items):
    """``["a.b=c", ...]`` -> ``{"a": {"b": "c"}}`` with clear errors."""
    out = {}
    for item in items:
        key, eq, value = item.partition("=")
        scope, dot, name = key.strip().partition(".")
        if not eq or not dot or not name or not value.strip():
            raise VicariousError(f"--set {item!r}: expected KEY=VALUE with KEY like 'cortex.tau' or "
                                 "'paradigm.sessions' (e.g. --set cortex.tau=20*ms)")
        scope, name = scope.strip(), name.strip()
        if name in out.get(scope, {}):
            raise VicariousError(f"--set {scope}.{name} is given twice ({out[scope][name]!r} and {value.strip()!r}); "
                                 "give each parameter once")
        out.setdefault(scope, {})[name] = value.strip()
    return out


def replaced(sets, *more):
    """``--set`` items ``sets`` with the keys of ``more`` replaced by them (each key once, as ``parse_sets``
    requires)."""
    keys = {item.partition("=")[0].strip() for item in more}
    return tuple(item for item in sets if item.partition("=")[0].strip() not in keys) + tuple(more)


def resolve(paradigm, mode="rate", seeds=None, lesions=(), sets=(), codegen=None, first_seed=0, cohort=COHORT):
    """Validate everything and return a :class:`RunConfig` (raises VicariousError); ``seeds`` None is the
    paradigm's default number of animals, ``codegen`` None :func:`~circuits.simulation.default_codegen`."""
    if paradigm not in PARADIGMS:
        raise unknown("paradigm", paradigm, PARADIGMS)
    if mode not in MODES:
        raise unknown("mode", mode, MODES)
    codegen = default_codegen() if codegen is None else codegen
    if codegen not in CODEGEN_TARGETS:
        raise unknown("code-generation target", codegen, CODEGEN_TARGETS)
    seeds = PARADIGMS[paradigm].seeds if seeds is None else seeds
    if not isinstance(seeds, int) or seeds < 1 or seeds > 1000:
        raise VicariousError(f"--seeds {seeds!r}: allowed a whole number in [1, 1000]")
    if not isinstance(cohort, int) or not 1 <= cohort <= 200:
        raise VicariousError(f"--cohort {cohort!r}: allowed a whole number in [1, 200]")
    groups = parse_sets(sets)
    spec = PARADIGMS[paradigm]
    params = spec.Params().updated(groups.pop("paradigm", {}), "paradigm.")
    neuron = NeuronParams().updated(groups.pop("neuron", {}), "neuron.")
    plasticity = PlasticityParams().updated(groups.pop("plasticity", {}), "plasticity.")
    config = RunConfig(paradigm, mode, tuple(range(first_seed, first_seed + seeds)), tuple(lesions), codegen,
                       params, groups, neuron, plasticity, cohort)
    graph = spec.circuit(params)
    for region in groups:
        if region not in graph:
            raise unknown("--set scope (paradigm, neuron, plasticity or a region)", region,
                          ["paradigm", "neuron", "plasticity", *graph.nodes])
    circuit = config.circuit()
    validate(circuit)  # catches bad lesions and wiring before anything runs
    spec.check_circuit(circuit, params)
    _check_dopamine_baseline(circuit, plasticity)
    return config


def _check_dopamine_baseline(graph, plasticity):
    """Three-factor learning reads dopamine against ``plasticity.da_base``: it must be the VTA's tonic rate."""
    vtas = [data["region"] for _, data in graph.nodes(data=True) if data["region"].kind == "vta"]
    for vta in vtas:
        if abs(float(vta.params.tonic) - float(plasticity.da_base)) > 1e-9:
            raise VicariousError(f"plasticity.da_base = {plasticity.da_base!r} differs from {vta.name}.tonic = "
                                 f"{vta.params.tonic!r}: learning reads dopamine against its tonic rate, so set "
                                 "both to the same value")
