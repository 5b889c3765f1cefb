"""Basal ganglia: the learnt reward model (critic) and Go/NoGo action selection (actor).

* ``VentralStriatum`` — the critic: reads the cortex through dopamine-gated synapses with a
  presynaptic eligibility trace and reports the value V to the VTA (Houk et al. 1995;
  O'Doherty et al. 2004).
* ``DorsalStriatum`` — the actor: one D1 (Go) and one D2 (NoGo) unit per action; cortical
  synapses learn by three-factor plasticity, D1 potentiated and D2 depressed by dopamine
  bursts (Frank 2005; Shen et al. 2008). Motor-thalamic efference (thalamostriatal
  input) tags the chosen action's units so that its synapses are the eligible ones.
* ``GPi`` — output nucleus, tonically active (DeLong 1971, 60-80 Hz), inhibited by D1
  (direct path) and excited by D2 (the indirect path through GPe/STN, collapsed as in
  Frank 2005); selection by disinhibition (Gurney, Prescott & Redgrave 2001).
* ``MotorThalamus`` — one channel per action, tonically driven and gated by GPi; the
  channel above ``act_threshold`` with the highest rate is the action taken.
"""

import dataclasses

import brian2 as b2

from regions.base import PopulationSettings, Region
from regions.params import Params, param

DEFAULT_ACTIONS = ("press", "explore")


@dataclasses.dataclass(frozen=True)
class VentralStriatumParams(Params):
    n: int = param(4, low=1, high=1000, doc="critic units (medium spiny neurons)")
    tau: b2.Quantity = param(5 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=500 * b2.ms,
                             doc="time constant of the critic's population rate. A population's rate follows "
                                 "its input faster than the membrane time constant (Gerstner 2000; Fourcaud & "
                                 "Brunel 2002); the value must track the cortical state within a 50 ms scene "
                                 "step, or TD errors at cue onset/offset are credited to the wrong step and the "
                                 "linear critic over-predicts (measured: 20 ms let V(light) grow to the weight "
                                 "ceiling, ~60 Hz, against ~15 Hz of food)")
    noise: b2.Quantity = param(0.5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz, doc="rate noise")


@dataclasses.dataclass(frozen=True)
class DorsalStriatumParams(Params):
    actions: tuple = param(DEFAULT_ACTIONS, doc="action channels, each a pool of D1 and a pool of D2 MSNs")
    msn_per_action: int = param(1, low=1, high=1000,
                                doc="D1 MSNs (and as many D2 MSNs) per action channel. Each learns from its own "
                                    "eligibility; GPi reads the pool's mean (the direct and indirect pathways "
                                    "converge, Gurney, Prescott & Redgrave 2001; Frank 2005 used several units "
                                    "per response). Default 1: the rate tests are calibrated on it (with 8 the "
                                    "averaged pool starts pressing more often, 0.3-0.8 in session 1). In spiking "
                                    "mode one neuron's spike trace makes the up-state eligibility noisy; whether "
                                    "a pool lets the spiking actor learn pressing is open (see README)")
    tau: b2.Quantity = param(100 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=500 * b2.ms,
                             doc="slow MSN time constant (up/down states last 100s of ms; Wilson & Kawaguchi 1996)")
    threshold: b2.Quantity = param(2 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=200 * b2.Hz,
                                   doc="drive before MSNs fire (MSN down-state)")
    noise: b2.Quantity = param(8 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz,
                               doc="rate noise: the source of exploration")


@dataclasses.dataclass(frozen=True)
class GPiParams(Params):
    actions: tuple = param(DEFAULT_ACTIONS, doc="one output channel per action")
    tau: b2.Quantity = param(10 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=500 * b2.ms, doc="time constant")
    tonic: b2.Quantity = param(45 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=200 * b2.Hz,
                               doc="tonic rate (DeLong 1971: 60-80 Hz in primates; rodent SNr ~30-50 Hz)")
    noise: b2.Quantity = param(0.5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz, doc="rate noise")


@dataclasses.dataclass(frozen=True)
class MotorThalamusParams(Params):
    actions: tuple = param(DEFAULT_ACTIONS, doc="one channel per action")
    tau: b2.Quantity = param(20 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=500 * b2.ms, doc="time constant")
    tonic: b2.Quantity = param(45 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=200 * b2.Hz,
                               doc="excitatory drive (from cortex/cerebellum) gated by GPi")
    act_threshold: b2.Quantity = param(10 * b2.Hz, unit=b2.Hz, low=0.1 * b2.Hz, high=500 * b2.Hz,
                                       doc="mean rate over the response window that emits the action")
    noise: b2.Quantity = param(1 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz, doc="rate noise")


class VentralStriatum(Region):
    """Critic: value of the cortical state."""

    kind = "ventral_striatum"
    Params = VentralStriatumParams
    ports = ("I", "da")
    description = "critic: learnt value of the cortical state (dopamine-gated)"

    def populations(self):
        return {"critic": PopulationSettings(self.params.n, noise=self.params.noise)}


class DorsalStriatum(Region):
    """Actor: D1 (Go) and D2 (NoGo) units per action."""

    kind = "dorsal_striatum"
    Params = DorsalStriatumParams
    ports = ("I", "da")
    description = "actor: D1 Go / D2 NoGo units per action (dopamine-gated)"

    def populations(self):
        """``d1`` and ``d2``, each ``msn_per_action`` consecutive units per action in the order of ``actions``."""
        p = self.params
        n = len(p.actions) * p.msn_per_action
        return {"d1": PopulationSettings(n, bias=-p.threshold, noise=p.noise),
                "d2": PopulationSettings(n, bias=-p.threshold, noise=p.noise)}


class GPi(Region):
    """Globus pallidus internus / SNr: tonic inhibition of the motor thalamus."""

    kind = "gpi"
    Params = GPiParams
    description = "output nucleus: tonic inhibition released by D1, reinforced by D2"

    def populations(self):
        p = self.params
        return {"gpi": PopulationSettings(len(p.actions), bias=p.tonic, noise=p.noise)}


class MotorThalamus(Region):
    """Motor thalamus (VA/VL): the selected action."""

    kind = "motor_thalamus"
    Params = MotorThalamusParams
    description = "motor thalamus: one channel per action, gated by GPi"

    def populations(self):
        p = self.params
        return {"motor": PopulationSettings(len(p.actions), bias=p.tonic, noise=p.noise)}
