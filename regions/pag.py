"""Periaqueductal grey: fixed brainstem reflexes and the aversive teaching signal.

* ``noci`` — lateral/dorsal PAG units relaying nociception; the aversive teaching signal
  sent to the amygdala and to the VTA (Johansen et al. 2010; Roy et al. 2014). CeA
  facilitates it (descending modulation of pain sensitivity; Heinricher et al. 2009).
* ``vl`` — ventrolateral column: freezing, driven by CeA (Tovote et al. 2016). A unit
  mean above ``freeze_threshold`` over a step counts as freezing.
* ``withdrawal`` — nocifensive withdrawal, driven directly by ``noci`` (a spinal/brainstem reflex).
"""

import dataclasses

import brian2 as b2

from regions.base import PopulationSettings, Projection, Region
from regions.params import Params, param


@dataclasses.dataclass(frozen=True)
class PAGParams(Params):
    n: int = param(4, low=1, high=1000, doc="units in each column")
    tau: b2.Quantity = param(20 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=500 * b2.ms, doc="time constant")
    vl_threshold: b2.Quantity = param(5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=200 * b2.Hz,
                                      doc="CeA drive needed before the freezing column fires")
    freeze_threshold: b2.Quantity = param(20 * b2.Hz, unit=b2.Hz, low=0.1 * b2.Hz, high=500 * b2.Hz,
                                          doc="vl rate over a step that counts as freezing")
    noise: b2.Quantity = param(0.5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz, doc="rate noise")


class PAG(Region):
    """Periaqueductal grey: freezing, withdrawal and the nociceptive teaching signal."""

    kind = "pag"
    Params = PAGParams
    description = "brainstem reflexes (freezing, withdrawal) and the aversive teaching signal"

    def populations(self):
        p = self.params
        return {"noci": PopulationSettings(p.n, noise=p.noise),
                "vl": PopulationSettings(p.n, bias=-p.vl_threshold, noise=p.noise),
                "withdrawal": PopulationSettings(p.n, noise=p.noise)}

    def internal_projections(self):
        return {"noci_withdrawal": Projection(source_pops=("noci",), target_pops=("withdrawal",),
                                              weight=1.0 / self.params.n)}
