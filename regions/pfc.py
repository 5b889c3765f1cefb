"""Prefrontal / orbitofrontal cortex: a slow context representation with top-down reach.

Context units integrate the scene's context and agent channels through competitive
Hebbian synapses and hold it with recurrent excitation (persistent activity on a slower
loop than the bottom-up path; Wang 2001). They project top-down onto the amygdala's
output (mPFC -> intercalated cells -> CeA inhibition; Quirk et al. 2003), the route by
which learnt context can gate empathic responses.
"""

import dataclasses

import brian2 as b2

from regions.base import PopulationSettings, Projection, Region
from regions.params import Params, param


@dataclasses.dataclass(frozen=True)
class PFCParams(Params):
    n: int = param(8, low=1, high=2000, doc="context units")
    tau: b2.Quantity = param(100 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=5 * b2.second,
                             doc="slow time constant (NMDA-dominated recurrence; Wang 2001)")
    recurrence: float = param(0.05, low=0.0, high=1.0, doc="recurrent excitation between context units")
    threshold: b2.Quantity = param(10 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=200 * b2.Hz,
                                   doc="drive before a context unit fires")
    noise: b2.Quantity = param(0.5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz, doc="rate noise")


class PFC(Region):
    """PFC/OFC context."""

    kind = "pfc"
    Params = PFCParams
    description = "context: slow, persistent representation with top-down inhibition of CeA"

    def populations(self):
        p = self.params
        return {"context": PopulationSettings(p.n, bias=-p.threshold, noise=p.noise)}

    def internal_projections(self):
        return {"context_recurrence": Projection(weight=self.params.recurrence, connectivity="all_but_self")}
