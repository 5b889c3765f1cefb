"""Unit models shared by all regions: a threshold-linear rate unit and an LIF neuron.

Both forms expose the same variables to synapses and learning rules:

* ``r`` (Hz): the unit's rate — the rate itself in rate mode, an exponentially
  filtered spike train (trace, time constant ``tau_trace``) in spiking mode;
* ``acc`` (dimensionless): the running integral of ``r``, read at step boundaries to get
  each unit's mean rate over a step without a monitor; ``racc`` and ``<port>_acc`` are
  integrals over the current step only (reset at its end), used by TD errors.

Rate unit (Wilson & Cowan 1972; Dayan & Abbott 2001, ch. 7):
``tau du/dt = -u + gain * drive + noise``, ``r = clip(u, 0, r_max)``; the steady
state is ``r* = clip(gain * drive, 0, r_max)``.

LIF neuron (Lapicque; Gerstner et al. 2014, ch. 1):
``tau dv/dt = v_rest - v + R * (slope * gain * drive + offset)`` with ``R = tau * (v_th - v_reset)``
per Hz. The noise-free rate is ``1 / (t_ref + tau * ln((v_reset - v_inf) / (v_th - v_inf)))`` with
``v_inf = v_rest + R * x`` for an effective drive ``x`` (tested against simulation). The rate-mode
``noise`` enters the LIF as white noise on the drive. The two forms are matched unit by unit:

* a unit with a positive tonic ``bias`` (VTA, GPi, motor thalamus) keeps ``slope`` 1 and
  ``offset`` 0 and has its bias converted with :func:`lif_drive_for_rate`, so it fires at the
  same tonic rate in both modes;
* every other unit gets the ``slope`` and ``offset`` of :func:`lif_transfer` so that its
  f-I curve follows the rate unit's mean rate over the working range. Without this a noisy
  LIF fires below the rate unit's threshold and 5-10 Hz above it when driven (measured: spiking
  cortex 6.1 vs 3.1 Hz, MSNs 20 vs 11 Hz, and every MSN above the actor's up-state).
"""

import dataclasses

import brian2 as b2
import numpy as np
from scipy import integrate, optimize, special, stats

from regions.errors import VicariousError
from regions.params import Params, param

MODES = ("rate", "spiking")


@dataclasses.dataclass(frozen=True)
class NeuronParams(Params):
    """Circuit-wide unit constants. Membrane values follow Brunel (2000) and Gerstner et al. (2014)."""

    r_max: b2.Quantity = param(100 * b2.Hz, unit=b2.Hz, low=1 * b2.Hz, high=1000 * b2.Hz,
                               doc="rate-unit ceiling (rate mode)")
    v_rest: b2.Quantity = param(-52 * b2.mV, unit=b2.mV, low=-90 * b2.mV, high=-40 * b2.mV,
                                doc="LIF resting potential, just below threshold")
    v_reset: b2.Quantity = param(-60 * b2.mV, unit=b2.mV, low=-90 * b2.mV, high=-40 * b2.mV,
                                 doc="LIF reset potential")
    v_th: b2.Quantity = param(-50 * b2.mV, unit=b2.mV, low=-70 * b2.mV, high=-30 * b2.mV,
                              doc="LIF threshold")
    t_ref: b2.Quantity = param(2 * b2.ms, unit=b2.ms, low=0 * b2.ms, high=20 * b2.ms,
                               doc="LIF absolute refractory period")
    sigma_v: b2.Quantity = param(0.5 * b2.mV, unit=b2.mV, low=0 * b2.mV, high=20 * b2.mV,
                                 doc="LIF membrane noise (standard deviation)")
    tau_trace: b2.Quantity = param(50 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=1000 * b2.ms,
                                   doc="time constant of the spike trace that stands for r")
    tau_syn: b2.Quantity = param(5 * b2.ms, unit=b2.ms, low=0.5 * b2.ms, high=100 * b2.ms,
                                 doc="synaptic current decay (AMPA-like, spiking)")
    dt_rate: b2.Quantity = param(2 * b2.ms, unit=b2.ms, low=0.01 * b2.ms, high=5 * b2.ms,
                                 doc="integration step in rate mode")
    dt_spiking: b2.Quantity = param(0.25 * b2.ms, unit=b2.ms, low=0.01 * b2.ms, high=1 * b2.ms,
                                    doc="integration step in spiking mode")
    max_rate: b2.Quantity = param(500 * b2.Hz, unit=b2.Hz, low=10 * b2.Hz, high=1e5 * b2.Hz,
                                  doc="a unit above this mean rate over a step means the run diverged")

    def __post_init__(self):
        super().__post_init__()
        if not self.v_reset < self.v_th or not self.v_rest < self.v_th:
            raise VicariousError(f"neuron.v_reset = {self.v_reset!r} and neuron.v_rest = {self.v_rest!r} must both lie "
                                 f"below neuron.v_th = {self.v_th!r} (an LIF resets and rests below its threshold)")

    def dt(self, mode):
        return self.dt_rate if mode == "rate" else self.dt_spiking


def step_reset(ports):
    """Statements that zero the per-step integrals at the end of a step."""
    return "\n".join(["racc = 0"] + [f"{port}_acc = 0" for port in ports if port != "I"])


def unit_equations(mode, drive, ports, extra=""):
    """Brian2 equations of a region's group.

    ``ports`` maps each port name to a list of ``(projection_variable, sign)``; the
    port becomes the signed sum of those variables (0 Hz when nothing projects to it).
    """
    lines = ["lag : second (constant)", "dracc/dt = r : 1"]
    for port, inputs in ports.items():
        terms = " + ".join(f"({sign})*{var}" for var, sign in inputs) or "0*Hz"
        lines.append(f"{port} = {terms} : Hz")
        if port != "I":  # per-step integral of teaching and neuromodulatory ports (TD errors)
            lines.append(f"d{port}_acc/dt = {port} : 1")
        for var, _ in inputs:
            if mode == "rate":  # a one-step first-order lag: rate units carry no spikes to delay
                lines.append(f"d{var}/dt = ({var}_in - {var}) / lag : Hz")
                lines.append(f"{var}_in : Hz")
            else:  # exponentially decaying synaptic current, mean = weight x presynaptic rate
                lines.append(f"d{var}/dt = -{var} / lag : Hz")
    lines += [
        f"drive = {drive} : Hz",
        "bias : Hz (constant)",
        "noise : Hz (constant)",
        "gain : 1 (constant)",
        "tau : second (constant)",
        "dacc/dt = r : 1",
    ]
    if mode == "rate":
        lines += [
            "du/dt = (gain * drive - u) / tau + noise * sqrt(2 / tau) * xi : Hz",
            "r = clip(u, 0*Hz, r_max) : Hz",
        ]
    else:
        lines += [
            "slope : 1 (constant)",
            "offset : Hz (constant)",
            "dv/dt = (v_rest - v + tau * (v_th - v_reset) * (slope * gain * drive + offset)) / tau"
            " + (sigma_v * sqrt(2 / tau) + (v_th - v_reset) * gain * noise * sqrt(2 * tau)) * xi"
            " : volt (unless refractory)",
            "dr/dt = -r / tau_trace : Hz",
        ]
    if extra:
        lines.append(extra)
    return "\n".join(lines)


def namespace(neuron):
    """Constants the unit equations refer to (also needed by synapses reading ``r``)."""
    return {k: getattr(neuron, k) for k in ("r_max", "v_rest", "v_reset", "v_th", "sigma_v",
                                            "tau_trace", "tau_syn")}


def make_group(mode, n, equations, neuron, name, dt):
    """The NeuronGroup for one region in ``mode``."""
    ns = namespace(neuron)
    if mode == "rate":
        return b2.NeuronGroup(n, equations, method="euler", namespace=ns, name=name, dt=dt)
    group = b2.NeuronGroup(n, equations, method="euler", threshold="v > v_th",
                           reset="v = v_reset; r += 1 / tau_trace", refractory=neuron.t_ref,
                           namespace=ns, name=name, dt=dt)
    group.v = neuron.v_rest
    return group


#: Boundary correction of a random walk sampled at discrete times: a threshold checked only every
#: ``dt`` is crossed as if it were ``BETA * (noise sd per step)`` higher, with
#: ``BETA = -zeta(1/2) / sqrt(2 pi)`` (Siegmund 1979; Broadie, Glasserman & Kou 1997).
BETA = 0.5825971579390106


def lif_rate(drive, tau, neuron, gain=1.0, sigma=0 * b2.mV, dt=None):
    """Analytic LIF rate (Hz) for a constant ``drive`` (array of Hz).

    Noise-free (``sigma`` = 0) it is the classic first-passage result; with white membrane
    noise whose free-membrane standard deviation is ``sigma`` it is the Siegert formula
    (Brunel & Hakim 1999; Brunel 2000): ``1/r = t_ref + tau sqrt(pi) int erfcx(-u) du`` from
    ``(v_reset - mu)/s`` to ``(v_th - mu)/s``, with Brunel's ``s = sqrt(2) * sigma``.

    With noise, the simulated neuron checks its threshold only every ``dt`` (default
    ``neuron.dt_spiking``; ``0 * ms`` gives the continuous-time formula), so it misses the
    excursions above threshold between grid points: it fires as if the threshold were higher
    by ``BETA * sigma * sqrt(2 dt / tau)`` (the noise's standard deviation per step). At
    dt = 0.25 ms, tau = 10 ms and sigma = 0.55 mV that is 0.07 mV, which lowers a 5 Hz tonic
    rate by ~20% in this fluctuation-driven regime (measured: 5 Hz targets fired at ~4-4.5 Hz
    without the correction, at 5.0 +- 0.2 Hz with it).
    """
    drive = np.atleast_1d(np.asarray(drive / b2.Hz, dtype=float))
    theta = float(neuron.v_th - neuron.v_reset)
    mu = float(neuron.v_rest) + float(tau) * theta * gain * drive
    rates = np.zeros(len(drive))
    if float(sigma) > 0:
        dt = neuron.dt_spiking if dt is None else dt
        v_th = float(neuron.v_th) + BETA * float(sigma) * np.sqrt(2 * float(dt) / float(tau))
        s = np.sqrt(2) * float(sigma)
        for n, m in enumerate(mu):
            lower, upper = (float(neuron.v_reset) - m) / s, (v_th - m) / s
            if upper > 10:  # far below threshold: the rate underflows to 0
                continue
            integral = integrate.quad(lambda u: special.erfcx(-u), lower, upper)[0]
            rates[n] = 1.0 / (float(neuron.t_ref) + float(tau) * np.sqrt(np.pi) * integral)
        return rates * b2.Hz
    above = mu > float(neuron.v_th)
    ratio = (float(neuron.v_reset) - mu[above]) / (float(neuron.v_th) - mu[above])
    rates[above] = 1.0 / (float(neuron.t_ref) + float(tau) * np.log(ratio))
    return rates * b2.Hz


def lif_noise(tau, neuron, gain=1.0, noise=0 * b2.Hz):
    """Free-membrane standard deviation (volt) of an LIF unit with drive ``noise``.

    The membrane noise ``sigma_v`` and the drive noise enter :func:`unit_equations` as two
    terms multiplying the *same* white noise, so their standard deviations add linearly:
    ``sigma_v + (v_th - v_reset) * gain * noise * tau``.
    """
    return neuron.sigma_v + (neuron.v_th - neuron.v_reset) * gain * noise * tau


def lif_drive_for_rate(rate, tau, neuron, gain=1.0, noise=0 * b2.Hz):
    """The constant drive (Hz) at which the simulated LIF, with its noise, fires at ``rate``.

    The inverse of :func:`lif_rate` at the spiking time step ``neuron.dt_spiking``, with the
    unit's total membrane noise (:func:`lif_noise`). Used to give spiking units the same tonic
    rate as their rate-mode twins.
    """
    sigma = lif_noise(tau, neuron, gain, noise)
    if rate <= 0 * b2.Hz:
        return 0 * b2.Hz
    if rate >= 0.9 / neuron.t_ref:
        raise ValueError(f"rate {rate} is too close to the refractory limit 1/t_ref")
    target = float(rate)
    def excess(d):
        return float(lif_rate(np.array([d]) * b2.Hz, tau, neuron, gain, sigma)[0] / b2.Hz) - target
    if excess(0.0) > 0:
        raise VicariousError(f"with neuron.v_rest = {neuron.v_rest!r}, neuron.v_th = {neuron.v_th!r} and its noise a "
                             f"spiking unit fires above its tonic rate {rate!r} without any drive; lower neuron.v_rest "
                             "or the noise (neuron.sigma_v)")
    return optimize.brentq(excess, 0.0, 1e5, xtol=1e-6) * b2.Hz


#: Effective drives (Hz, after the gain) over which :func:`lif_transfer` matches the two forms:
#: from just below threshold to the rates that scenes evoke.
TRANSFER_RANGE = np.linspace(-5.0, 60.0, 27)
QUIET_EXCESS = 0.1  # Hz a matched LIF may fire above its rate twin at zero drive


def rate_unit_mean(x, noise, neuron):
    """Mean rate (Hz) of a rate unit with effective drive ``x`` (array, Hz) and rate noise ``noise`` (Hz):
    ``E[clip(u, 0, r_max)]`` with ``u ~ N(x, noise^2)``, the stationary law of its Ornstein-Uhlenbeck ``u``."""
    x, s, top = np.asarray(x, dtype=float), float(noise), float(neuron.r_max)
    if s == 0:
        return np.clip(x, 0, top)
    a, b = (0 - x) / s, (top - x) / s  # E[clip(u)] = E[u; 0<u<top] + top P(u > top)
    inside = x * (stats.norm.cdf(b) - stats.norm.cdf(a)) + s * (stats.norm.pdf(a) - stats.norm.pdf(b))
    return inside + top * stats.norm.sf(b)


_TRANSFERS = {}  # (tau, gain, noise, neuron constants) -> (slope, offset in Hz): one fit per kind of unit


def _transfer(tau, gain, noise, neuron):
    key = (tau, gain, noise, *(float(getattr(neuron, f.name)) for f in dataclasses.fields(neuron)))
    if key not in _TRANSFERS:
        _TRANSFERS[key] = _fit_transfer(tau, gain, noise, neuron)
    return _TRANSFERS[key]


def _fit_transfer(tau, gain, noise, neuron):
    sigma = lif_noise(tau * b2.second, neuron, gain, noise * b2.Hz)
    target = rate_unit_mean(TRANSFER_RANGE, noise, neuron)

    weight = 1 / np.sqrt(target + 1.0)  # Poisson-like: a rate's error scaled by its spike-count noise

    def rate(drive):
        return np.asarray(lif_rate(np.atleast_1d(drive) * b2.Hz, tau * b2.second, neuron, 1.0, sigma) / b2.Hz)

    # a unit without input fires at most 0.1 Hz more than its twin: a presynaptic unit that should be
    # silent would otherwise leave spike traces that make its synapses eligible (tests/test_plasticity.py)
    quiet = float(rate_unit_mean(np.zeros(1), noise, neuron)[0]) + QUIET_EXCESS
    top = optimize.brentq(lambda d: rate(d)[0] - quiet, -1e3, 1e3)
    fit = optimize.least_squares(lambda p: weight * (rate(p[0] * TRANSFER_RANGE + p[1]) - target),
                                 [1.0, min(0.0, top - 1.0)], bounds=([0.1, -1e3], [10.0, top]))
    return float(fit.x[0]), float(fit.x[1])


def lif_transfer(tau, neuron, gain=1.0, noise=0 * b2.Hz):
    """``(slope, offset)`` that make an LIF unit's mean rate follow its rate twin's.

    Least squares over :data:`TRANSFER_RANGE` between the LIF's rate at effective drive
    ``slope * x + offset`` (:func:`lif_rate`, Siegert with its total membrane noise
    :func:`lif_noise`) and the rate unit's mean rate at ``x`` (:func:`rate_unit_mean`), each error
    weighted by ``1/sqrt(rate + 1 Hz)`` (spike counts are Poisson-like) so that the quiet range is
    not traded for the driven one, and with the offset bounded so that at zero drive the LIF
    fires at most :data:`QUIET_EXCESS` above its twin. Measured (effective drives 0 / 10 / 40 Hz):
    striatal units (100 ms, 8 Hz noise) 3.1 / 10.5 / 40.2 Hz against the rate unit's 3.2 / 10.4 / 40
    (unmatched: 7.9 / 15.2 / 39.4); cortical (20 ms) 0.3 / 10.4 / 40.0 against 0.4 / 10 / 40
    (unmatched: 0.6 / 14.2 / 46.1). Short membranes (5-10 ms) keep a soft threshold the bound
    leaves in place: at 10 Hz they fire 3-6 Hz (unmatched: 2-8 Hz), at 40 Hz 42-43 (unmatched: 50-57).
    Offset in Hz.
    """
    slope, offset = _transfer(float(tau), float(gain), float(noise), neuron)
    return slope, offset * b2.Hz


def rate_steady_state(drive, neuron, gain=1.0):
    """Analytic steady state of the rate unit for a constant ``drive``."""
    return np.clip(gain * np.asarray(drive / b2.Hz, dtype=float), 0, float(neuron.r_max / b2.Hz)) * b2.Hz
