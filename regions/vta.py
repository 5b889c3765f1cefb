"""Ventral tegmental area: dopamine neurons signalling the temporal-difference error.

The dopamine units fire at a tonic rate and deviate from it by the continuous-time TD
error (Doya 2000; Schultz, Dayan & Montague 1997):

``delta = reward - c * V / tau_discount + c * dV/dt``,

where ``V`` (Hz) is the ventral striatal value on the ``value`` port, ``c`` converts it
to expected reward, and ``dV/dt`` is the difference between the fast value input and a
slowly lagging copy (the fast-excitation, slow-inhibition scheme of Houk, Adams &
Barto 1995). ``reward`` is the signed sum on the ``reward`` port: food excites, pain
(relayed by PAG) inhibits, as ``r = food - pain`` in the theory.
"""

import dataclasses

import brian2 as b2

from regions.base import PopulationSettings, Region
from regions.params import Params, param


@dataclasses.dataclass(frozen=True)
class VTAParams(Params):
    n: int = param(4, low=1, high=1000, doc="dopamine units")
    tau: b2.Quantity = param(10 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=200 * b2.ms, doc="time constant")
    tonic: b2.Quantity = param(5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz,
                               doc="tonic rate (Grace & Bunney 1984); must match plasticity.da_base")
    value_scale: b2.Quantity = param(0.2 * b2.second, unit=b2.second, low=0 * b2.second,
                                     high=100 * b2.second, doc="c: seconds of reward per Hz of value")
    tau_discount: b2.Quantity = param(2 * b2.second, unit=b2.second, low=10 * b2.ms,
                                      high=1000 * b2.second, doc="discounting horizon (Doya 2000)")
    tau_value: b2.Quantity = param(50 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=1 * b2.second,
                                   doc="lag of the slow value copy used for dV/dt")
    noise: b2.Quantity = param(0.5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz, doc="rate noise")


class VTA(Region):
    """Dopamine reward-prediction error."""

    kind = "vta"
    Params = VTAParams
    ports = ("I", "value", "reward")
    drive_terms = ("delta",)
    description = "dopamine: TD reward-prediction error (reward = food - pain)"

    def populations(self):
        p = self.params
        return {"da": PopulationSettings(p.n, bias=p.tonic, noise=p.noise)}

    def extra_equations(self):
        return ("delta = reward - value_scale * value / tau_discount"
                " + value_scale * (value - value_slow) / tau_value : Hz\n"
                "dvalue_slow/dt = (value - value_slow) / tau_value : Hz")

    def namespace(self):
        p = self.params
        return {"value_scale": p.value_scale, "tau_discount": p.tau_discount, "tau_value": p.tau_value}
