"""Cortex: an unsupervised world model that compresses the scene into a sparse code.

Two areas, each a pool of units with lateral inhibition (soft winner-take-most) whose
afferents learn by competitive Hebbian learning (``hebbian`` rule; Rumelhart & Zipser 1985;
Földiák 1990). Nothing labels who is who: any agent-invariant (mirror) units must come
out of the statistics of the input.

* ``acc_insula`` — anterior cingulate / insular cortex, the area that receives
  interoceptive (nociceptive) input besides the sight and sound of pain
  (Singer et al. 2004; in rats, Carrillo et al. 2019 found ACC neurons active both for
  own pain and for another's). A named population so it can be lesioned alone
  (Hernandez-Lallement et al. 2020 silenced rat ACC).
* ``association`` — the rest of the scene (objects, actions, agents, context).
"""

import dataclasses

import brian2 as b2

from regions.base import PopulationSettings, Projection, Region
from regions.params import Params, param


@dataclasses.dataclass(frozen=True)
class CortexParams(Params):
    n_acc_insula: int = param(12, low=1, high=2000, doc="units in the ACC/insula area")
    n_association: int = param(24, low=1, high=5000, doc="units in the association area")
    tau: b2.Quantity = param(20 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=500 * b2.ms,
                             doc="membrane/rate time constant (pyramidal cells ~20 ms)")
    tau_spiking: b2.Quantity = param(0 * b2.ms, unit=b2.ms, low=0 * b2.ms, high=500 * b2.ms,
                                     doc="membrane time constant of the spiking units (0 = tau); see "
                                         "Cortex.time_constant")
    threshold: b2.Quantity = param(5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=200 * b2.Hz,
                                   doc="drive needed before a unit fires (negative bias)")
    inhibition: float = param(0.1, low=0.0, high=10.0,
                              doc="lateral inhibition between units of an area (per Hz)")
    noise: b2.Quantity = param(1 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz,
                               doc="rate noise (breaks symmetry in the competition)")


class Cortex(Region):
    """Cortical world model with an ACC/insula area and an association area."""

    kind = "cortex"
    Params = CortexParams
    description = "unsupervised world model (competitive Hebbian + lateral inhibition)"

    def populations(self):
        p = self.params
        return {
            "acc_insula": PopulationSettings(p.n_acc_insula, bias=-p.threshold, noise=p.noise),
            "association": PopulationSettings(p.n_association, bias=-p.threshold, noise=p.noise),
        }

    def time_constant(self, mode):
        """``tau``, or in spiking mode ``tau_spiking`` when set.

        A spiking unit is one LIF neuron standing for a cortical population, so it receives
        the population's input as a few large PSPs (several mV each). In the diffusion limit
        the membrane's mean drive grows as ``tau`` and its shot-noise SD as ``sqrt(tau)``
        (``mu = C J nu tau``, ``sigma = J sqrt(C nu tau)``; Amit & Brunel 1997; Brunel 2000),
        so a unit with a short membrane fires for scenes it is not tuned to. A longer membrane
        averages more input spikes, as the population would (Gerstner et al. 2014, ch. 12),
        without changing the mean transfer or the rate form.
        """
        if mode == "spiking" and self.params.tau_spiking > 0 * b2.ms:
            return self.params.tau_spiking
        return self.params.tau

    def internal_projections(self):
        return {
            f"{area}_inhibition": Projection(source_pops=(area,), target_pops=(area,), sign=-1,
                                             weight=self.params.inhibition, connectivity="all_but_self")
            for area in ("acc_insula", "association")
        }
