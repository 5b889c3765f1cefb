"""Unit models against their analytic rates: LIF f-I curve and rate-unit steady state."""

import brian2 as b2
import numpy as np
import pytest

from circuits.simulation import Simulation
from regions.neurons import NeuronParams, lif_drive_for_rate, lif_rate, rate_steady_state
from regions.sensory import SensoryParams, SensoryThalamus

DRIVES = np.array([0.0, 10.0, 25.0, 40.0, 60.0, 100.0, 150.0]) * b2.Hz


def _relay(tau):
    return SensoryThalamus(params=SensoryParams(channels=(("x", len(DRIVES)),), tau=tau, noise=0 * b2.Hz))


def _steady_rates(circuit, mode, neuron, tau, steps=40):
    sim = Simulation(circuit(_relay(tau)), mode=mode, seed=1, neuron=neuron)
    sim.run(steps, lambda k: sim.set_input("thalamus", "x", DRIVES))
    return sim.rates("thalamus", "x", start=steps // 4).mean(axis=0)


@pytest.mark.parametrize("tau", [10 * b2.ms, 20 * b2.ms])
def test_lif_f_i_curve_matches_analytic_rate(circuit, tau):
    neuron = NeuronParams(sigma_v=0 * b2.mV, dt_spiking=0.05 * b2.ms)
    measured = _steady_rates(circuit, "spiking", neuron, tau)
    expected = np.asarray(lif_rate(DRIVES, tau, neuron) / b2.Hz)
    # spike-count resolution over 1.5 s is ~1 Hz; dt discretisation adds a few percent at high rates
    np.testing.assert_allclose(measured, expected, rtol=0.05, atol=1.5)
    assert measured[0] == 0 and measured[-1] > 100  # silent below rheobase, fast when driven


def test_rate_unit_steady_state_matches_analytic(circuit):
    neuron = NeuronParams()
    measured = _steady_rates(circuit, "rate", neuron, 10 * b2.ms)
    expected = np.asarray(rate_steady_state(DRIVES, neuron) / b2.Hz)
    np.testing.assert_allclose(measured, expected, rtol=1e-3, atol=1e-3)
    assert measured[-1] == pytest.approx(float(neuron.r_max / b2.Hz))  # the ceiling


def test_noisy_lif_fires_at_the_siegert_rate_and_the_inverse_inverts_it(circuit):
    """Tonic units (VTA 5 Hz) rely on the inverse: with membrane noise the LIF fires below rheobase."""
    neuron = NeuronParams(dt_spiking=0.05 * b2.ms)
    tau = 10 * b2.ms
    targets = np.array([5.0, 20.0, 60.0])
    drives = [lif_drive_for_rate(rate * b2.Hz, tau, neuron) for rate in targets]
    siegert = np.array([float(lif_rate(np.array([float(d)]) * b2.Hz, tau, neuron, sigma=neuron.sigma_v)[0])
                        for d in drives])
    np.testing.assert_allclose(siegert, targets, rtol=1e-4)
    relay = SensoryThalamus(params=SensoryParams(channels=(("x", 40 * len(targets)),), tau=tau, noise=0 * b2.Hz))
    sim = Simulation(circuit(relay), mode="spiking", seed=2, neuron=neuron)
    sim.run(60, lambda k: sim.set_input("thalamus", "x", np.repeat([float(d) for d in drives], 40) * b2.Hz))
    measured = sim.rates("thalamus", "x", start=10).mean(axis=0).reshape(len(targets), 40).mean(axis=1)
    np.testing.assert_allclose(measured, targets, rtol=0.15)
