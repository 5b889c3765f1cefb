"""Each learning rule on a minimal circuit, in both modes: its sign, and that it is local."""

import brian2 as b2
import numpy as np
import pytest

from circuits.graph import connect
from circuits.simulation import Simulation
from regions.amygdala import BLA, BLAParams
from regions.basal_ganglia import DorsalStriatum, DorsalStriatumParams, VentralStriatum, VentralStriatumParams
from regions.cortex import Cortex, CortexParams
from regions.sensory import SensoryParams, SensoryThalamus
from regions.vta import VTA, VTAParams

MODES = ["rate", "spiking"]
QUIET = 0 * b2.Hz


def relay(*channels):
    return SensoryThalamus(params=SensoryParams(channels=channels, noise=QUIET))


def drive(sim, inputs):
    """A controller holding ``{(region, pop): rate}`` constant."""
    def controller(k):
        sim.clear_inputs()
        for (region, pop), value in inputs.items():
            sim.set_input(region, pop, value)
    return controller


@pytest.mark.parametrize("mode", MODES)
def test_hebbian_moves_winner_weights_toward_input_and_spares_silent_posts(circuit, mode):
    graph = circuit(relay(("x", 2)), Cortex(params=CortexParams(n_acc_insula=1, n_association=1, threshold=QUIET,
                                                                inhibition=0.0, noise=QUIET)))
    connect(graph, "thalamus", "cortex", "to_active", target_pops=("association",), plasticity="hebbian",
            weight=1.0, w_low=0.3, w_high=0.3)
    connect(graph, "thalamus", "cortex", "to_silent", target_pops=("acc_insula",), plasticity="hebbian",
            weight=0.0, w_low=0.3, w_high=0.3)
    sim = Simulation(graph, mode=mode, seed=0)
    sim.run(40, drive(sim, {("thalamus", "x"): [40 * b2.Hz, 0 * b2.Hz]}))
    active_pre, silent_pre = sim.weights("to_active")
    assert active_pre > 0.4  # pre and post active: toward r_pre / r_ref = 1
    assert silent_pre < 0.27  # post active, pre silent: toward 0
    np.testing.assert_allclose(sim.weights("to_silent"), 0.3)  # silent post: no change at all


def _amygdala(circuit):
    graph = circuit(relay(("x", 2), ("pain", 1)), BLA(params=BLAParams(n=1, noise=QUIET)))
    connect(graph, "thalamus", "bla", "assoc", source_pops=("x",), plasticity="delta", weight=0.5,
            w_low=0.2, w_high=0.2)
    connect(graph, "thalamus", "bla", "teacher", source_pops=("pain",), port="teach", weight=1.0)
    return graph


@pytest.mark.parametrize("mode", MODES)
def test_delta_rule_learns_what_the_teacher_signals_and_only_at_active_inputs(circuit, mode):
    sim = Simulation(_amygdala(circuit), mode=mode, seed=0)
    x = {("thalamus", "x"): [40 * b2.Hz, 0 * b2.Hz]}
    sim.run(30, drive(sim, x | {("thalamus", "pain"): 40 * b2.Hz}))
    taught = sim.weights("assoc")
    assert taught[0] > 0.3  # pain above the prediction: the active input gains weight
    assert taught[1] == pytest.approx(0.2)  # silent input: unchanged
    sim.run(40, drive(sim, x))
    extinguished = sim.weights("assoc")
    assert extinguished[0] < taught[0] - 0.05  # predicted pain that does not come: weight falls
    assert extinguished[1] == pytest.approx(0.2)


def _striatum(circuit):
    graph = circuit(relay(("x", 2)), VTA(params=VTAParams(n=20, noise=QUIET)),
                    DorsalStriatum(params=DorsalStriatumParams(actions=("a",), noise=QUIET, threshold=QUIET)))
    for key, pop, sign in (("to_d1", "d1", 1), ("to_d2", "d2", -1)):
        connect(graph, "thalamus", "dorsal_striatum", key, target_pops=(pop,), plasticity="three_factor",
                dopamine_sign=sign, weight=0.1, w_low=0.5, w_high=0.5)
    connect(graph, "vta", "dorsal_striatum", port="da", weight=1.0 / 20)
    return graph


@pytest.mark.parametrize("mode", MODES)
def test_three_factor_needs_dopamine_and_eligibility_and_d1_d2_have_opposite_signs(circuit, mode):
    sim = Simulation(_striatum(circuit), mode=mode, seed=0)
    up = {("thalamus", "x"): [40 * b2.Hz, 0 * b2.Hz], ("dorsal_striatum", "d1"): 40 * b2.Hz,
          ("dorsal_striatum", "d2"): 40 * b2.Hz}
    sim.run(20, drive(sim, up))  # tonic dopamine only
    tonic_d1, tonic_d2 = sim.weights("to_d1"), sim.weights("to_d2")
    # tonic dopamine leaves weights nearly alone in rate mode. Spiking dopamine neurons fire at
    # da_base on average (Siegert calibration corrected for dt), but 1 s of 20 units is ~100 spikes
    # (+-10%), and at da_scale = 1 Hz that count noise alone moves the weights, so no bound there
    if mode == "rate":
        np.testing.assert_allclose(tonic_d1, 0.5, atol=0.01)
    sim.run(10, drive(sim, up | {("vta", "da"): 10 * b2.Hz}))  # burst
    burst_d1, burst_d2 = sim.weights("to_d1"), sim.weights("to_d2")
    assert burst_d1[0] > tonic_d1[0] + 0.1 and burst_d2[0] < tonic_d2[0] - 0.1
    assert burst_d1[1] == tonic_d1[1] and burst_d2[1] == tonic_d2[1]  # silent input: not eligible
    sim.run(10, drive(sim, up | {("vta", "da"): -10 * b2.Hz}))  # dip (rate floors at 0 Hz)
    dip_d1, dip_d2 = sim.weights("to_d1"), sim.weights("to_d2")
    assert dip_d1[0] < burst_d1[0] - 0.05 and dip_d2[0] > burst_d2[0] + 0.05


def critic_circuit(circuit):
    """A cue and an outcome (food or pain) relayed to an opponent critic and the VTA."""
    graph = circuit(relay(("cue", 4), ("food", 4), ("pain", 4)),
                    VentralStriatum(params=VentralStriatumParams(noise=QUIET)), VTA(params=VTAParams(noise=QUIET)))
    for pop, sign in (("appetitive", 1), ("aversive", -1)):
        connect(graph, "thalamus", "ventral_striatum", f"to_{pop}", source_pops=("cue",), target_pops=(pop,),
                plasticity="three_factor", eligibility="pre", dopamine_sign=sign, weight=0.2, w_low=0.0, w_high=0.0)
        connect(graph, "ventral_striatum", "vta", f"{pop}_value", source_pops=(pop,), port="value", sign=sign,
                weight=0.25)
    connect(graph, "vta", "ventral_striatum", port="da", weight=1.0 / 20)
    connect(graph, "thalamus", "vta", "food", source_pops=("food",), port="reward", weight=0.25)
    connect(graph, "thalamus", "vta", "pain", source_pops=("pain",), port="reward", sign=-1, weight=0.25)
    return graph


@pytest.mark.parametrize("outcome", ["food", "pain"])
def test_td_error_moves_from_the_outcome_to_the_cue_that_predicts_it(circuit, outcome):
    """Food: a burst appears at the cue (the appetitive half learns). Pain: a dip appears at the
    cue, which only the aversive half can give (Seymour et al. 2007); the other half stays put."""
    sim = Simulation(critic_circuit(circuit), mode="rate", seed=0)
    iti, cue, out = 6, 6, 2
    trial = iti + cue + out

    def controller(k):
        t = k % trial
        sim.clear_inputs()
        if iti <= t < iti + cue:
            sim.set_input("thalamus", "cue", 40 * b2.Hz)
        elif t >= iti + cue:
            sim.set_input("thalamus", outcome, 40 * b2.Hz)

    n_trials = 40
    sim.run(n_trials * trial, controller)
    sign = 1 if outcome == "food" else -1
    da = sign * (sim.rates("vta").mean(axis=1).reshape(n_trials, trial) - 5.0)  # minus tonic; dips count up for pain
    cue_response = da[:, iti + 1]  # the step after cue onset (DA carries the previous step's error)
    outcome_response = da[:, iti + cue + 1]
    assert cue_response[:3].mean() < 0.2 and cue_response[-5:].mean() > 1.0  # a cue response appears
    assert outcome_response[-5:].mean() < 0.5 * outcome_response[:3].mean()  # the outcome's response shrinks
    learnt, idle = ("to_appetitive", "to_aversive") if outcome == "food" else ("to_aversive", "to_appetitive")
    assert sim.weights(learnt).mean() > 0.05 and sim.weights(idle).mean() < 0.01
