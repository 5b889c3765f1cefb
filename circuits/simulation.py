"""Run a built circuit in scene steps: set inputs, advance, read each unit's mean rate.

A paradigm drives the circuit step by step (a step is a short window, 50 ms by
default, during which the scene is constant). A Brian2 ``NetworkOperation`` at the start
of every step records the previous step's mean rates (from each group's ``acc``) and
asks the paradigm's controller for the next inputs, so a whole session runs in one
``Network.run`` call and behaviour can close the loop (a press delivers food).
"""

import brian2 as b2
import numpy as np

from circuits.build import build
from regions.errors import VicariousError, unknown
from regions.neurons import NeuronParams
from regions.plasticity import PlasticityParams

CODEGEN_TARGETS = ("numpy", "cython")


class DivergenceError(VicariousError):
    """The simulation produced NaN or runaway rates."""


class Simulation:
    """A circuit built in one mode, advanced step by step."""

    def __init__(self, graph, mode="rate", seed=0, neuron=None, plasticity=None, step=50 * b2.ms,
                 codegen="numpy", prefix="", record_spikes=False):
        if codegen not in CODEGEN_TARGETS:
            raise unknown("code-generation target", codegen, CODEGEN_TARGETS)
        b2.prefs.codegen.target = codegen
        self.neuron = neuron or NeuronParams()
        self.plasticity = plasticity or PlasticityParams()
        self.mode, self.seed, self.step = mode, seed, step
        b2.seed(seed)
        self.built = build(graph, mode, seed, self.neuron, self.plasticity, prefix, step)
        self.regions = self.built.regions
        self.group = self.built.group
        self.network = self.built.network
        self._acc = np.zeros(len(self.group))
        self.history = []
        self._pending = False
        self._controller = None
        self.steps_done = 0
        self.network.add(b2.NetworkOperation(self._on_step, dt=step, when="start"))
        self.spikes = None
        if record_spikes and mode == "spiking":
            self.spikes = b2.SpikeMonitor(self.group)
            self.network.add(self.spikes)

    # -- inputs -----------------------------------------------------------------------
    def set_input(self, region, pop, values):
        """Set the external drive (Hz, scalar or one value per unit) of ``region.pop``."""
        self.group.I_ext[self.built.units(region, pop)] = values

    def clear_inputs(self):
        self.group.I_ext = 0 * b2.Hz

    # -- running ----------------------------------------------------------------------
    def _region_of(self, unit):
        return next(name for name in self.regions if self.built.units(name).start <= unit < self.built.units(name).stop)

    def _record(self):
        acc = np.array(self.group.acc[:], dtype=float)
        mean = (acc - self._acc) / float(self.step)
        self._acc = acc
        bad = ~np.isfinite(mean) | (mean > float(self.neuron.max_rate))
        if bad.any():
            unit = int(np.flatnonzero(bad)[0])
            raise DivergenceError(
                f"simulation diverged in region {self._region_of(unit)!r} at t = "
                f"{self.steps_done * float(self.step):.2f} s (mean rate {mean[unit]:.3g} Hz; max_rate is "
                f"{self.neuron.max_rate}); lower learning rates or weights (see 'vicarious list')")
        self.history.append(mean)
        self.steps_done += 1
        self._pending = False

    def _on_step(self):
        if self._pending:
            self._record()
        if self._controller is not None:
            self._controller(self.steps_done)
        self._pending = True

    def run(self, n_steps, controller=None):
        """Advance ``n_steps`` steps; ``controller(k)`` sets inputs at the start of step ``k``."""
        self._controller = controller
        try:
            self.network.run(n_steps * self.step, namespace={})
        except Exception as err:  # Brian2 wraps errors raised inside network operations
            cause = err
            while cause is not None and not isinstance(cause, VicariousError):
                cause = cause.__cause__
            raise cause if cause is not None else err
        if self._pending:
            self._record()
        for name, syn in self.built.synapses.items():
            if not np.all(np.isfinite(syn.w[:])):
                raise DivergenceError(f"plastic weights ({name}) became NaN or infinite; "
                                      "lower the learning rates (see 'vicarious list')")

    # -- reading ----------------------------------------------------------------------
    def rates(self, region, pop=None, start=0, stop=None):
        """Mean rate per step (Hz; array steps x units) of ``region`` or one of its populations."""
        return np.asarray(self.history[start:stop])[:, self.built.units(region, pop)]

    def weights(self, key):
        """Current weights ``w`` of the projection named ``key``."""
        return self.built.weights(key)
