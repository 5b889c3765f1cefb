"""Learning rules, written once on the unit rate ``r`` so that both modes share them.

In rate mode ``r`` is the unit's rate; in spiking mode it is the spike trace, so each
rule is a rate-based rule on filtered spike trains (as in the trace rules of Clopath et
al. 2010). Every rule is local: it reads the presynaptic rate, the postsynaptic rate and
a signal on the postsynaptic unit's own ports.

Error-driven rules work on the paradigm's scene steps (``t_step``, 50 ms by default):
prediction errors are temporal-difference errors between consecutive steps (Sutton &
Barto 1990), computed by the region that owns the prediction, and each synapse keeps the
mean of its eligibility over the last steps so that an error is credited to the step
that caused it. Continuous-time TD (Doya 2000) was tried first and rejected: smoothing
the value derivative made a cue that was never rewarded gain value.

* ``hebbian`` — competitive (instar) Hebbian learning, continuous:
  ``dw/dt = eta (r_post/r_ref)(r_pre/r_ref - w)``. A unit that wins the lateral-inhibition
  competition moves its weights toward the input pattern (Grossberg 1976; Rumelhart &
  Zipser 1985); weights stay in [0, 1].
* ``delta`` — error-driven association (Rescorla & Wagner 1972; Widrow & Hoff 1960) in its
  TD form: at the end of step k, ``w += eta * t_step * error_post * x_pre(k-1) / r_ref``
  where ``x_pre`` is the presynaptic rate (over ``r_ref``) averaged over a step and ``error``
  the target's TD error for the step k-1 -> k (the amygdala: pain to come minus pain
  predicted; Li et al. 2008; Johansen et al. 2010).
* ``three_factor`` — dopamine-gated plasticity: at the end of step k+1,
  ``w += eta * t_step * sign * (da - da_base)/da_scale * x(k-1)`` where ``da`` is the mean
  dopamine input over step k+1 (the VTA broadcasts the TD error of step k one step later)
  and ``x`` the eligibility of step k-1: ``r_pre/r_ref`` for the critic (then this is TD(0)
  for a linear critic; Schultz, Dayan & Montague 1997) or
  ``(r_pre/r_ref) [r_post - up_state]+/r_ref`` for the actor (only units driven into the
  up-state, in practice the selected action's, are eligible; Frank 2005; Shen et al. 2008;
  eligibility that waits for dopamine: Yagishita et al. 2014). With ``onset`` eligibility
  the error is credited to ``r_pre/r_ref`` of step k, the state the transition led to: what
  a cue's appearance brought, not what its predecessor failed to predict (the context gate
  of :mod:`regions.pfc`). D1 units (sign +1) are potentiated and D2 units (sign -1)
  depressed by a burst.

Weights are clipped to ``[0, w_max]``. A running average of dopamine as the baseline was
tried and rejected: where pain makes dips unavoidable the average sinks, and the critic
then reads tonic dopamine as a burst.
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
    da_base: b2.Quantity = param(5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz,
                                 doc="tonic dopamine rate (Grace & Bunney 1984: 2-10 Hz); must match vta.tonic")
    da_scale: b2.Quantity = param(1 * b2.Hz, unit=b2.Hz, low=0.1 * b2.Hz, high=100 * b2.Hz,
                                  doc="dopamine deviation that counts as a unit of error")
    up_state: b2.Quantity = param(15 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=200 * b2.Hz,
                                  doc="postsynaptic rate above which an actor synapse becomes eligible "
                                      "(MSN up-state; Wilson & Kawaguchi 1996)")
    w_max: float = param(1.0, low=0.01, high=100.0, doc="upper bound of plastic weights")

    def namespace(self):
        return {"eta_hebbian": self.eta_hebbian, "eta_delta": self.eta_delta,
                "eta_three_factor": self.eta_three_factor, "r_ref": self.r_ref,
                "da_base": self.da_base, "da_scale": self.da_scale, "w_max": self.w_max,
                "up_state": self.up_state}


RULE_PORTS = {"hebbian": (), "delta": ("teach",), "three_factor": ("da",)}

#: Units taught on a ``teach`` port (the ``delta`` rule's targets: the BLA, the striatal pain
#: model) predict the teaching signal discounted over their ``teach_horizon``. At the end of step
#: k each computes the TD error on its own mean rate P,
#: ``error = (1 - gamma) * teach_k + gamma * P_k - P_(k-1)`` with ``gamma = exp(-step / teach_horizon)``
#: (Sutton & Barto 1990). A horizon long against the step predicts what is to come (a cue before a
#: shock is learnt rather than blocked by the shock's own code); one short against it predicts
#: the teaching signal of the next step itself (a reward model). Every region with taught units
#: returns these same statements, so the group computes them once.
TAUGHT_EQUATIONS = "error : Hz\nteach_prev : Hz"
TAUGHT_STEP_CODE = ("error = (1 - exp(-t_step / teach_horizon)) * teach_acc / t_step"
                    " + exp(-t_step / teach_horizon) * racc / t_step - teach_prev\n"
                    "teach_prev = racc / t_step")


class TaughtUnits:
    """Mixin for a :class:`regions.base.Region` whose units are taught on a ``teach`` port: they
    compute the TD error of :data:`TAUGHT_STEP_CODE` over the horizon :meth:`teach_horizon` gives."""

    def extra_equations(self):
        return TAUGHT_EQUATIONS

    def step_code(self):
        return TAUGHT_STEP_CODE

    def namespace(self):
        return {"teach_horizon": self.teach_horizon()}

    def teach_horizon(self):
        raise NotImplementedError


def rule_equations(rule, eligibility="prepost"):
    """Synaptic equations for ``rule`` ('' for a fixed synapse)."""
    if not rule:
        return ""
    if rule == "hebbian":
        return "dw/dt = plastic * eta_hebbian * (r_post / r_ref) * (r_pre / r_ref - w) : 1 (clock-driven)"
    if rule == "delta":
        return "w : 1\ndx_acc/dt = r_pre / r_ref / t_step : 1 (clock-driven)\nx1 : 1"
    if rule == "three_factor":
        x = "r_pre / r_ref"
        if eligibility == "prepost":
            x += " * (clip(r_post - up_state, 0*Hz, r_max) / r_ref)"
        return f"w : 1\ndx_acc/dt = {x} / t_step : 1 (clock-driven)\nx1 : 1\nx2 : 1\ndopamine_sign : 1 (constant)"
    raise ValueError(rule)


def rule_step_code(rule, eligibility="prepost"):
    """Statements a plastic synapse runs at the end of every scene step ('' if none)."""
    if rule == "delta":
        return ("w = clip(w + plastic * eta_delta * t_step * error_post * x1 / r_ref, 0, w_max)\n"
                "x1 = x_acc\nx_acc = 0")
    if rule == "three_factor":
        x = "x1" if eligibility == "onset" else "x2"
        return ("w = clip(w + plastic * eta_three_factor * t_step * dopamine_sign * "
                f"(da_acc_post / t_step - da_base) / da_scale * {x}, 0, w_max)\n"
                "x2 = x1\nx1 = x_acc\nx_acc = 0")
    return ""
