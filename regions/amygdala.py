"""Amygdala: BLA learns to predict visceral outcomes from the cortical code; CeA drives reflexes.

BLA units read the cortex through ``delta``-rule synapses taught by the nociceptive
signal on their ``teach`` port, relayed by PAG (Johansen et al. 2010: PAG conveys the
aversive teaching signal to the amygdala; Li et al. 2008 and Rescorla & Wagner 1972 for
the error-driven rule). A BLA unit's rate stands for the pain expected over the next
``horizon`` (a discounted average), and its prediction error at the end of step k is the
TD error on its own mean rate (:data:`regions.plasticity.TAUGHT_STEP_CODE`; Sutton & Barto
1990), so a cue that precedes a shock is learnt as a threat rather than blocked by the
shock's own representation. CeA, the output nucleus, relays BLA to the PAG's freezing column
(LeDoux 2000; Janak & Tye 2015). Only the subject's own nociception ever teaches BLA. CeA's
``context`` port is the gain of the learnt context gate (:mod:`regions.pfc`); its ``da`` port carries
the VTA's dopamine that teaches the gate (mesoamygdaloid dopamine; Fadok, Dickerson & Palmiter 2009).
"""

import dataclasses

import brian2 as b2

from regions.base import PopulationSettings, Region
from regions.params import Params, param
from regions.pfc import GATE_EQUATIONS
from regions.plasticity import TaughtUnits


@dataclasses.dataclass(frozen=True)
class BLAParams(Params):
    n: int = param(8, low=1, high=1000, doc="BLA principal units")
    tau: b2.Quantity = param(20 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=500 * b2.ms,
                             doc="time constant (BLA pyramidal-like cells)")
    noise: b2.Quantity = param(0.5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz, doc="rate noise")
    horizon: b2.Quantity = param(0.5 * b2.second, unit=b2.second, low=10 * b2.ms, high=100 * b2.second,
                                 doc="how far ahead expected pain is averaged (discount horizon)")


@dataclasses.dataclass(frozen=True)
class CeAParams(Params):
    n: int = param(4, low=1, high=1000, doc="CeA output units")
    tau: b2.Quantity = param(20 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=500 * b2.ms, doc="time constant")
    threshold: b2.Quantity = param(5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=200 * b2.Hz,
                                   doc="BLA drive needed before CeA fires")
    noise: b2.Quantity = param(0.5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz, doc="rate noise")
    context_scale: b2.Quantity = param(20 * b2.Hz, unit=b2.Hz, low=0.1 * b2.Hz, high=1000 * b2.Hz,
                                       doc="context-gate input that doubles CeA's response (see regions.pfc)")


class BLA(TaughtUnits, Region):
    """Basolateral amygdala: cortical code -> predicted pain (error-driven)."""

    kind = "bla"
    Params = BLAParams
    ports = ("I", "teach")
    description = "basolateral amygdala: learns to predict pain from the cortical code"

    def populations(self):
        return {"bla": PopulationSettings(self.params.n, noise=self.params.noise)}

    def teach_horizon(self):
        return self.params.horizon


class CeA(Region):
    """Central amygdala: output to the PAG's reflexes."""

    kind = "cea"
    Params = CeAParams
    ports = ("I", "context", "da")
    drive_terms = ("gated",)
    description = "central amygdala: drives freezing and pain modulation in PAG"

    def populations(self):
        p = self.params
        return {"cea": PopulationSettings(p.n, bias=-p.threshold, noise=p.noise)}

    def extra_equations(self):
        return GATE_EQUATIONS

    def namespace(self):
        return {"context_scale": self.params.context_scale}
