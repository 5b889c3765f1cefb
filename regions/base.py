"""The Region interface shared by every anatomical module, and the Projection between regions.

A region is one Brian2 ``NeuronGroup`` whose units are split into named
populations (index ranges), so that a circuit stays a handful of Brian2 objects
(each object costs a fixed time per step; see ``benchmarks/README.md``). The same
region runs in two modes behind this one interface:

* ``rate``: each unit is a threshold-linear rate unit with time constant ``tau``;
* ``spiking``: each unit is a leaky integrate-and-fire neuron whose filtered spike
  train (trace) plays the part of the rate, so learning rules read the same ``r``.

Regions differ in their populations, their tonic bias and noise, the *ports* on
which they take input (``I`` is the ordinary synaptic drive; ``teach``, ``da`` and
others carry teaching and neuromodulatory signals), extra terms in their drive (the
VTA adds its TD error), and the projections inside them (self-loops in the circuit graph).
A unit's drive is ``I + bias + I_ext`` plus the region's ``drive_terms``.
"""

import dataclasses

import brian2 as b2

from regions.errors import VicariousError, unknown
from regions.params import Params, param

RULES = ("hebbian", "delta", "three_factor")
#: Connection patterns. ``blocks`` generalises ``one_to_one`` to populations of unequal size: the
#: larger side is split into as many equal consecutive blocks as the smaller side has units, and
#: unit i of the smaller side is connected to (every unit of) block i of the larger side. It wires
#: parallel action channels, each a pool of cells, that stay segregated through the basal-ganglia
#: loop (Alexander, DeLong & Strick 1986; Gurney, Prescott & Redgrave 2001; Frank 2005).
CONNECTIVITY = ("all", "one_to_one", "all_but_self", "blocks")


@dataclasses.dataclass(frozen=True)
class PopulationSettings:
    """Per-population unit settings (written into the region's NeuronGroup per unit)."""

    size: int
    bias: b2.Quantity = param(0 * b2.Hz, unit=b2.Hz, doc="tonic drive")
    noise: b2.Quantity = param(0 * b2.Hz, unit=b2.Hz, doc="standard deviation of the rate noise (OU)")
    gain: float = param(1.0, doc="slope of the transfer function (Hz of rate per Hz of drive)")


@dataclasses.dataclass(frozen=True)
class Projection(Params):
    """A projection: which units, which port, sign, strength, delay, plasticity.

    Efficacy of a synapse is ``weight * scale * w`` where ``w`` is the synapse's own
    (possibly plastic) variable, drawn uniformly in ``[w_low, w_high]`` at build time,
    and ``scale`` is the lesion factor (1 = intact, 0 = cut).
    """

    source_pops: tuple = param((), doc="source populations (empty = the whole region)")
    target_pops: tuple = param((), doc="target populations (empty = the whole region)")
    port: str = param("I", doc="target port the projection sums into")
    sign: int = param(1, low=-1, high=1, doc="+1 excitatory, -1 inhibitory")
    weight: float = param(1.0, low=0.0, high=1e4, doc="efficacy multiplier")
    w_low: float = param(1.0, low=0.0, high=1e3, doc="lower bound of initial w")
    w_high: float = param(1.0, low=0.0, high=1e3, doc="upper bound of initial w")
    delay: b2.Quantity = param(2 * b2.ms, unit=b2.ms, low=0.1 * b2.ms, high=100 * b2.ms,
                               doc="conduction delay (spiking); first-order lag (rate)")
    connectivity: str = param("all", choices=CONNECTIVITY,
                              doc="connection pattern: all, one_to_one, all_but_self, or blocks (unit i of the "
                                  "smaller side to the i-th of its equal consecutive blocks of the larger side)")
    plasticity: str = param("", choices=("",) + RULES, doc="learning rule ('' = fixed)")
    dopamine_sign: int = param(1, low=-1, high=1, doc="three-factor: +1 D1-like, -1 D2-like")
    eligibility: str = param("prepost", choices=("pre", "prepost", "onset"),
                             doc="three-factor: trace of pre only (critic), pre x post (actor), or pre of the "
                                 "state the error's transition led to (the context gate)")
    scale: float = param(1.0, low=0.0, high=10.0, doc="lesion scaling of the efficacy")
    learning: float = param(1.0, low=0.0, high=10.0, doc="learning-rate factor (0 = plasticity frozen)")


class Region:
    """Base class of every anatomical region.

    Subclasses set ``kind``, ``Params`` (a :class:`~regions.params.Params` dataclass),
    ``ports`` and ``drive_terms``, and implement :meth:`populations`; they may override
    :meth:`extra_equations`, :meth:`namespace` and :meth:`internal_projections`.
    """

    kind = "region"
    Params = None
    ports = ("I",)
    drive_terms = ()
    description = ""

    def __init__(self, name=None, params=None, **overrides):
        self.name = name or self.kind
        params = params if params is not None else self.Params()
        self.params = params.updated(overrides, f"{self.name}.") if overrides else params

    # -- what the region is made of -------------------------------------------------
    def populations(self):
        """Ordered mapping population name -> :class:`PopulationSettings`."""
        raise NotImplementedError

    def extra_equations(self):
        """Further Brian2 equations (e.g. the VTA's TD error), defining the ``drive_terms``."""
        return ""

    def step_code(self):
        """Statements run at the end of every scene step (e.g. a TD error); '' if none."""
        return ""

    def namespace(self):
        """Per-unit constants (Brian2 quantities) that :meth:`extra_equations` refers to."""
        return {}

    def internal_projections(self):
        """Projections inside the region: mapping key -> :class:`Projection`."""
        return {}

    def time_constant(self, mode):
        """The units' time constant in ``mode`` (rate time constant or membrane time constant).

        The same by default; a region whose spiking neurons need another membrane time
        constant to keep the rate form's transfer (e.g. pacemaking dopamine cells) overrides it.
        """
        return self.params.tau

    # -- helpers --------------------------------------------------------------------
    def slices(self):
        """Mapping population -> ``slice`` of unit indices in the region's group."""
        out, start = {}, 0
        for pop, settings in self.populations().items():
            out[pop] = slice(start, start + settings.size)
            start += settings.size
        return out

    def size(self):
        return sum(s.size for s in self.populations().values())

    def indices(self, pops, removed=()):
        """Unit indices of ``pops`` (all when empty), skipping removed populations."""
        slices = self.slices()
        pops = pops or tuple(slices)
        for pop in pops:
            if pop not in slices:
                raise unknown(f"population of {self.name}", pop, slices)
        return [i for pop in pops if pop not in removed for i in range(slices[pop].start, slices[pop].stop)]

    def with_params(self, values):
        """A copy of the region with parameters updated from ``values`` (text or quantities)."""
        return type(self)(self.name, self.params.updated(values, f"{self.name}."))

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"


def require_port(region, port):
    if port not in region.ports:
        raise VicariousError(
            f"region {region.name!r} has no input port {port!r}; its ports are: {', '.join(region.ports)}")
