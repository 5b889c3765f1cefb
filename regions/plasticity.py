"""Learning rules, written once on the unit rate ``r`` so that both modes share them.

In rate mode ``r`` is the unit's rate; in spiking mode it is the spike trace, so each
rule is a rate-based rule on filtered spike trains (as in the voltage/trace rules of
Clopath et al. 2010). Every rule is local: it reads only the presynaptic rate, the
postsynaptic rate and a signal on the postsynaptic unit's own ports.

* ``hebbian`` — competitive (instar) Hebbian learning: ``dw/dt = eta (r_post/r_ref)(r_pre/r_ref - w)``.
  A unit that wins the lateral-inhibition competition moves its weights toward the
  input pattern (Grossberg 1976; Rumelhart & Zipser 1985); weights stay in [0, 1].
* ``delta`` — error-driven association with a teaching signal on the ``teach`` port:
  ``dw/dt = eta (r_pre/r_ref)(teach - r_post)/r_ref`` with soft bounds
  (Rescorla & Wagner 1972; Widrow & Hoff 1960; for the amygdala, Li et al. 2008).
* ``three_factor`` — dopamine-gated plasticity with an eligibility trace:
  ``de/dt = (x - e)/tau_e`` with ``x = r_pre/r_ref`` (critic) or ``r_pre r_post/r_ref^2``
  (actor), ``dw/dt = eta * sign * (da - da_base)/da_scale * e`` with soft bounds; D1 units
  potentiate and D2 units depress on a dopamine burst (Frank 2005; Izhikevich 2007;
  Reynolds & Wickens 2002). With ``x = r_pre/r_ref`` and the VTA's TD error as ``da`` this is
  continuous-time TD(lambda) for a linear critic (Doya 2000).

Soft bounds (``w_max - w`` for increases, ``w`` for decreases) keep weights in
``[0, w_max]`` without clipping (van Rossum et al. 2000).
"""

import dataclasses

import brian2 as b2

from regions.params import Params, param


@dataclasses.dataclass(frozen=True)
class PlasticityParams(Params):
    """Circuit-wide learning-rule constants."""

    eta_hebbian: b2.Quantity = param(0.5 / b2.second, unit=1 / b2.second, low=0 / b2.second,
                                     high=1e3 / b2.second, doc="competitive Hebbian rate")
    eta_delta: b2.Quantity = param(2.0 / b2.second, unit=1 / b2.second, low=0 / b2.second,
                                   high=1e3 / b2.second, doc="delta-rule rate")
    eta_three_factor: b2.Quantity = param(2.0 / b2.second, unit=1 / b2.second, low=0 / b2.second,
                                          high=1e3 / b2.second, doc="dopamine-gated rate")
    r_ref: b2.Quantity = param(40 * b2.Hz, unit=b2.Hz, low=1 * b2.Hz, high=1000 * b2.Hz,
                               doc="reference rate normalising pre and post activity")
    tau_eligibility: b2.Quantity = param(200 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=10 * b2.second,
                                         doc="eligibility-trace time constant (Yagishita et al. 2014: ~1 s window)")
    da_base: b2.Quantity = param(5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz,
                                 doc="tonic dopamine rate (Grace & Bunney 1984: 2-10 Hz)")
    da_scale: b2.Quantity = param(10 * b2.Hz, unit=b2.Hz, low=0.1 * b2.Hz, high=100 * b2.Hz,
                                  doc="dopamine deviation that counts as a unit of error")
    w_max: float = param(1.0, low=0.01, high=100.0, doc="upper soft bound of plastic weights")

    def namespace(self):
        return {"eta_hebbian": self.eta_hebbian, "eta_delta": self.eta_delta,
                "eta_three_factor": self.eta_three_factor, "r_ref": self.r_ref,
                "tau_e": self.tau_eligibility, "da_base": self.da_base,
                "da_scale": self.da_scale, "w_max": self.w_max}


_SOFT = "(int({m} > 0*Hz) * (w_max - w) + int({m} <= 0*Hz) * w)"

RULE_PORTS = {"hebbian": (), "delta": ("teach",), "three_factor": ("da",)}


def rule_equations(rule, eligibility="prepost"):
    """Synaptic equations (clock-driven) for ``rule``; '' for a fixed synapse."""
    if not rule:
        return ""
    if rule == "hebbian":
        return "dw/dt = plastic * eta_hebbian * (r_post / r_ref) * (r_pre / r_ref - w) : 1 (clock-driven)"
    if rule == "delta":
        err = "(teach_post - r_post)"
        return (f"dw/dt = plastic * eta_delta * (r_pre / r_ref) * {err} / r_ref * "
                f"{_SOFT.format(m=err)} : 1 (clock-driven)")
    if rule == "three_factor":
        x = "r_pre / r_ref" if eligibility == "pre" else "(r_pre / r_ref) * (r_post / r_ref)"
        m = "(dopamine_sign * (da_post - da_base))"
        return (f"delig/dt = ({x} - elig) / tau_e : 1 (clock-driven)\n"
                f"dw/dt = plastic * eta_three_factor * {m} / da_scale * elig * "
                f"{_SOFT.format(m=m)} : 1 (clock-driven)\n"
                "dopamine_sign : 1 (constant)")
    raise ValueError(rule)
