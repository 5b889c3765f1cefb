"""Basal ganglia: the learnt reward model (critic) and Go/NoGo action selection (actor).

* ``VentralStriatum`` — the learnt reward model and the critic, both reading the cortex
  (Houk et al. 1995; O'Doherty et al. 2004). The ``pain_model`` units learn, by the delta
  rule taught by the subject's own nociception (relayed by PAG), to predict from the cortical
  code the pain of the next step: a supervised map from the world model's latent state to
  realised (negative) reward, the reward model of the theory. Own pain reaches the dopamine
  cells through it (its output is the VTA's negative reward), so whatever the cortex codes
  like own pain is punished as own pain is, and nothing else is (Seymour et al. 2005: the
  ventral striatum carries aversive prediction signals; Roitman, Wheeler & Carelli 2005:
  accumbens neurons encode aversive outcomes). The critic's value is signed but rates are
  not, so the critic is an opponent pair (Daw, Kakade & Dayan 2002; Seymour et al. 2007):
  ``appetitive`` units (D1-like, potentiated by bursts) excite the VTA's value port and
  ``aversive`` units (D2-like, potentiated by dips: Hikida et al. 2010; Danjo, Yoshimi &
  Funabiki 2014) inhibit it, so ``V = appetitive - aversive``: together one linear TD critic
  with signed weights.
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
from regions.pfc import GATE_EQUATIONS
from regions.plasticity import TaughtUnits

DEFAULT_ACTIONS = ("press", "explore")


@dataclasses.dataclass(frozen=True)
class VentralStriatumParams(Params):
    n: int = param(4, low=1, high=1000, doc="medium spiny neurons in each population (pain model, appetitive and "
                                             "aversive critic)")
    tau: b2.Quantity = param(5 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=500 * b2.ms,
                             doc="time constant of the critic's population rate. A population's rate follows "
                                 "its input faster than the membrane time constant (Gerstner 2000; Fourcaud & "
                                 "Brunel 2002); the value must track the cortical state within a 50 ms scene "
                                 "step, or TD errors at cue onset/offset are credited to the wrong step and the "
                                 "linear critic over-predicts (measured: 20 ms let V(light) grow to the weight "
                                 "ceiling, ~60 Hz, against ~15 Hz of food)")
    noise: b2.Quantity = param(0.5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz, doc="rate noise")
    pain_horizon: b2.Quantity = param(10 * b2.ms, unit=b2.ms, low=10 * b2.ms, high=100 * b2.second,
                                      doc="discount horizon of the pain model's prediction (see "
                                          "regions.plasticity.TAUGHT_STEP_CODE). Short against the 50 ms step: it "
                                          "predicts the pain itself (a reward model), not pain to come (a value, "
                                          "which is the critic's job)")
    context_scale: b2.Quantity = param(20 * b2.Hz, unit=b2.Hz, low=0.1 * b2.Hz, high=1000 * b2.Hz,
                                       doc="context-gate input that doubles the pain model's response (see "
                                           "regions.pfc)")


@dataclasses.dataclass(frozen=True)
class DorsalStriatumParams(Params):
    actions: tuple = param(DEFAULT_ACTIONS, doc="action channels, each a pool of D1 and a pool of D2 MSNs")
    msn_per_action: int = param(1, low=1, high=1000,
                                doc="D1 MSNs (and as many D2 MSNs) per action channel. Each learns from its own "
                                    "eligibility; GPi reads the pool's mean (the direct and indirect pathways "
                                    "converge, Gurney, Prescott & Redgrave 2001; Frank 2005 used several units "
                                    "per response); why the default is 1: docs/calibration.md")
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


class VentralStriatum(TaughtUnits, Region):
    """Reward model (pain) and critic (value of the cortical state, appetitive minus aversive)."""

    kind = "ventral_striatum"
    Params = VentralStriatumParams
    ports = ("I", "da", "teach", "context")
    drive_terms = ("gated",)
    description = "learnt reward model (pain) and critic: value of the cortical state, appetitive minus aversive"

    def populations(self):
        p = self.params
        return {name: PopulationSettings(p.n, noise=p.noise) for name in ("pain_model", "appetitive", "aversive")}

    def extra_equations(self):
        return super().extra_equations() + "\n" + GATE_EQUATIONS

    def namespace(self):
        return super().namespace() | {"context_scale": self.params.context_scale}

    def teach_horizon(self):
        return self.params.pain_horizon


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
