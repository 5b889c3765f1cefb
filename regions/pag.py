"""Periaqueductal grey: fixed brainstem reflexes and the aversive teaching signal.

* ``noci`` — lateral/dorsal PAG units relaying nociception; the aversive teaching signal
  sent to the amygdala and to the VTA (Johansen et al. 2010; Roy et al. 2014). Descending
  modulation: CeA input on the ``facilitation`` port raises the *gain* of nociceptive
  transmission, ``drive = I (1 + facilitation / facilitation_scale)`` — the amygdala's
  PAG-RVM route facilitates pain (Heinricher et al. 2009; Neugebauer et al. 2004), which is
  how fear and watching a cagemate in pain make a rodent hyperalgesic (Langford et al.
  2006). It is a gain, not an input: without a noxious stimulus CeA alone evokes no pain
  (and so cannot teach the amygdala its own fear).
* ``vl`` — ventrolateral column: freezing, driven by CeA (Tovote et al. 2016). A unit
  mean above ``freeze_threshold`` over a step counts as freezing.
* ``withdrawal`` — nocifensive withdrawal, driven directly by ``noci`` (a spinal/brainstem reflex);
  the stimulus at which it fires is the nociceptive threshold of a ramped-stimulus test
  (as in the hot-plate or Hargreaves tests).
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
    facilitation_scale: b2.Quantity = param(20 * b2.Hz, unit=b2.Hz, low=0.1 * b2.Hz, high=1000 * b2.Hz,
                                            doc="CeA rate that doubles nociceptive transmission")
    noise: b2.Quantity = param(0.5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz, doc="rate noise")


class PAG(Region):
    """Periaqueductal grey: freezing, withdrawal and the nociceptive teaching signal."""

    kind = "pag"
    Params = PAGParams
    ports = ("I", "facilitation")
    drive_terms = ("descending",)
    description = "brainstem reflexes (freezing, withdrawal), descending pain modulation, aversive teaching signal"

    def populations(self):
        p = self.params
        return {"noci": PopulationSettings(p.n, noise=p.noise),
                "vl": PopulationSettings(p.n, bias=-p.vl_threshold, noise=p.noise),
                "withdrawal": PopulationSettings(p.n, noise=p.noise)}

    def extra_equations(self):
        return "descending = I * facilitation / facilitation_scale : Hz"

    def namespace(self):
        return {"facilitation_scale": self.params.facilitation_scale}

    def internal_projections(self):
        return {"noci_withdrawal": Projection(source_pops=("noci",), target_pops=("withdrawal",),
                                              weight=1.0 / self.params.n)}
