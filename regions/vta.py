"""Ventral tegmental area: dopamine neurons signalling the temporal-difference error.

At the end of every scene step k the dopamine units compute the TD error

``delta_k = reward_scale * R_k + gamma * V_k - V_(k-1)``,

where ``R_k`` is the mean of the ``reward`` port over step k (food excites it, pain relayed
by PAG inhibits it: ``r = food - pain`` as in the theory), ``V_k`` the mean ventral-striatal
value on the ``value`` port, and ``gamma = exp(-step / horizon)``; so V is the (scaled)
discounted sum of reward to come (Schultz, Dayan & Montague 1997; Sutton & Barto 1990).
The horizon (1 s; dopamine responses are discounted over delays of seconds, Kobayashi &
Schultz 2008) is long against a step: the dip it costs each step of a cue is
``(1 - gamma) V``, a few percent of V. It must not be much longer: a linear critic reads
cue units that are only partly on in the onset and offset steps, and undiscounted TD
then settles at about twice the true value (measured: V(light) kept
rising past the food it predicts, until rewarded presses produced dips). Over the
next step the units fire at ``tonic + rpe_gain * delta``: a burst for a better-than-expected
outcome, a dip for a worse one, bounded below by 0 Hz as real dopamine dips are.

In spiking mode the dopamine cells are pacemakers: they fire regularly at their tonic rate
without input (Grace & Bunney 1984; an intrinsic oscillation of the soma and dendrites,
Wilson & Callaway 2000), and input speeds or slows the pacemaking. An LIF neuron whose
membrane time constant ``tau_pacemaker`` is long against its 200 ms interspike interval
is such a (nearly perfect) integrator: its rate is linear in the drive with slope 1, like
the rate unit's. With the 10 ms of the other regions it would fire in the
fluctuation-driven regime, whose convex f-I curve (measured: +4 Hz of drive -> +6.9 Hz,
-4 Hz -> -4.0 Hz around 5 Hz) turns the critic's zero-mean spike-count noise into a
positive mean TD error, so the spiking critic's value inflated until dopamine at the food
was a dip. At 200 ms (measured, 200 neurons x 10 s): tonic 5.02 Hz, +-1, 2, 4 Hz of
drive -> +-1.0, 2.0, 4.0 Hz (-4 Hz -> -4.3 Hz).
"""

import dataclasses

import brian2 as b2

from regions.base import PopulationSettings, Region
from regions.params import Params, param


@dataclasses.dataclass(frozen=True)
class VTAParams(Params):
    n: int = param(20, low=1, high=1000,
                   doc="dopamine units (enough that a 50 ms spike count is a usable rate in spiking mode)")
    tau: b2.Quantity = param(10 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=200 * b2.ms, doc="time constant")
    tau_pacemaker: b2.Quantity = param(200 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=10 * b2.second,
                                       doc="membrane time constant in spiking mode: long against the "
                                           "tonic interspike interval, so that pacemaking cells fire at a "
                                           "rate linear in the drive (Grace & Bunney 1984; Wilson & "
                                           "Callaway 2000)")
    tonic: b2.Quantity = param(5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz,
                               doc="tonic rate (Grace & Bunney 1984); must match plasticity.da_base")
    horizon: b2.Quantity = param(1 * b2.second, unit=b2.second, low=10 * b2.ms,
                                 high=1000 * b2.second,
                                 doc="discounting horizon: gamma = exp(-step/horizon) (temporal discounting "
                                     "of dopamine responses over seconds: Kobayashi & Schultz 2008)")
    reward_scale: float = param(0.1, low=0.0, high=10.0,
                                doc="Hz of value per Hz of reward and step (keeps V within the critic's rates)")
    rpe_gain: float = param(0.2, low=0.0, high=100.0,
                            doc="Hz of dopamine rate per Hz of TD error; dips floor at -tonic/rpe_gain, so "
                                "it must leave room for the largest negative errors or the critic inflates")
    noise: b2.Quantity = param(0.5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz, doc="rate noise")


class VTA(Region):
    """Dopamine reward-prediction error."""

    kind = "vta"
    Params = VTAParams
    ports = ("I", "value", "reward")
    drive_terms = ("rpe",)
    description = "dopamine: TD reward-prediction error (reward = food - pain)"

    def populations(self):
        p = self.params
        return {"da": PopulationSettings(p.n, bias=p.tonic, noise=p.noise)}

    def time_constant(self, mode):
        return self.params.tau_pacemaker if mode == "spiking" else self.params.tau

    def extra_equations(self):
        return "delta : Hz\nv_prev : Hz\nrpe = rpe_gain * delta : Hz"

    def step_code(self):
        return ("delta = reward_scale * reward_acc / t_step"
                " + exp(-t_step / value_horizon) * value_acc / t_step - v_prev\n"
                "v_prev = value_acc / t_step")

    def namespace(self):
        return {"value_horizon": self.params.horizon, "rpe_gain": self.params.rpe_gain * b2.Quantity(1),
                "reward_scale": self.params.reward_scale * b2.Quantity(1)}
