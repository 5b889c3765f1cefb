"""Run a built circuit in scene steps: set inputs, advance, read each unit's mean rate.

A paradigm drives the circuit step by step (a step is a short window, 50 ms by
default, during which the scene is constant). A Brian2 ``NetworkOperation`` at the start
of every step records the previous step's mean rates (from each group's ``acc``) and
asks the paradigm's controller for the next inputs, so a whole session runs in one
``Network.run`` call and behaviour can close the loop (a press delivers food).
"""

import contextlib
import ctypes
import json
import os
import signal
import threading
from pathlib import Path

import brian2 as b2
import numpy as np

from circuits.build import build
from circuits.graph import projections
from regions.errors import Terminated, VicariousError, unknown
from regions.neurons import NeuronParams
from regions.plasticity import PlasticityParams

CODEGEN_TARGETS = ("numpy", "cython")
#: The environment variable that sets the target of paradigm runs and studies when none is given.
CODEGEN_VARIABLE = "VICARIOUS_CODEGEN"
#: gcc flags for the cython target: Brian2's defaults less ``-ffast-math``, and no fused multiply-add, so
#: that the compiled code rounds as numpy does and both targets give the same numbers, bit for bit. They
#: replace Brian2's ``codegen.cpp.extra_compile_args_gcc`` preference whenever the cython target is chosen.
STRICT_GCC_FLAGS = ["-w", "-O3", "-ffp-contract=off", "-march=native", "-std=c++11"]


def cython_cache():
    """Where the cython target keeps its compiled code: Brian2's ``cache_dir`` preference if set, else a folder
    of vicarious's own (``$XDG_CACHE_HOME/vicarious/cython``, by default ``~/.cache/vicarious/cython``).
    Brian2's shared cache is not used because its key leaves out the compiler flags: code compiled there
    with fast-math would be taken for the strict code."""
    return b2.prefs.codegen.runtime.cython.cache_dir or os.path.join(
        os.path.expanduser(os.environ.get("XDG_CACHE_HOME", "~/.cache")), "vicarious", "cython")


_INTERRUPTED = threading.Event()
_SIGNALS = []  # the signals that set _INTERRUPTED
_STOPPING = (signal.SIGINT, signal.SIGTERM)


def setup_brian2():
    """Brian2's preferences for vicarious; call in a process's main thread before simulating.

    An interrupt abandons a run rather than truncating it; workers compiling the same code take
    turns; and an error is vicarious's to report: Brian2's banner asking users to report it as a
    Brian2 bug, and the debug log and script copy it leaves in the temporary folder, are switched off.
    """
    import logging
    import sys

    from brian2.utils.logger import BrianLogger

    b2.prefs.core.stop_on_keyboard_interrupt = False
    b2.prefs.codegen.runtime.cython.multiprocess_safe = True
    b2.prefs.logging.display_brian_error_message = False
    if sys.excepthook.__module__ == "brian2.utils.logger":
        sys.excepthook = sys.__excepthook__
    handler = BrianLogger.file_handler
    if handler is not None:
        handler.close()
        logging.getLogger("brian2").removeHandler(handler)
        BrianLogger.file_handler = None
    for attr in ("tmp_log", "tmp_script"):
        path = getattr(BrianLogger, attr)
        if path:
            with contextlib.suppress(OSError):
                os.remove(path)
            setattr(BrianLogger, attr, None)


@contextlib.contextmanager
def interruptible():
    """Ctrl-C (or SIGTERM) stops the simulations run inside at the next scene step, and nothing is printed.

    The handler only sets a flag that every step checks (:meth:`Simulation._on_step` raises
    ``KeyboardInterrupt`` there, in ordinary code); a Ctrl-C between simulations raises it when the
    block ends. A handler that raised ``KeyboardInterrupt`` itself could land in a weakref or
    ``__del__`` callback (Brian2 and numpy make many): Python only prints it there ("Exception
    ignored in ..."), and the run went on (seen in the test suite under load; the printed traceback
    also failed the clean-clone CI once). Only the main thread can own the handler; elsewhere (Dask
    worker threads) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    def stop(signum, frame):
        _SIGNALS.append(signum)
        _INTERRUPTED.set()

    previous = {sig: signal.signal(sig, stop) for sig in _STOPPING}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        stopped = _stop() if _INTERRUPTED.is_set() else None
        _INTERRUPTED.clear()
        _SIGNALS.clear()
    if stopped is not None:
        raise stopped


def _stop():
    """The exception for the signal that stopped the simulations: KeyboardInterrupt or Terminated."""
    signum = _SIGNALS[-1] if _SIGNALS else signal.SIGINT
    return Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


def default_codegen():
    """The target of a paradigm run given none: ``$VICARIOUS_CODEGEN``, else numpy (no compiler, no
    first-run compilation)."""
    target = os.environ.get(CODEGEN_VARIABLE, "numpy").strip() or "numpy"
    if target not in CODEGEN_TARGETS:
        raise unknown(f"code-generation target (environment variable {CODEGEN_VARIABLE})", target, CODEGEN_TARGETS)
    return target


class DivergenceError(VicariousError):
    """The simulation produced NaN or runaway rates."""


# -- the cython target's buffered random numbers ---------------------------------------------------------------
# Compiled code draws rand() and randn() from buffers of numbers drawn ahead from numpy's generator. Brian2's
# stored random state holds a buffer's address and position but not its numbers, and a run that uses a buffer
# up frees it and draws the next: restoring the address alone would read freed memory. A branch therefore keeps
# the numbers and writes them back into the live buffer. (On numpy there are no buffers: nothing to do.)
def _buffers():
    device = b2.get_device()
    return (device.rand_buffer, device.randn_buffer)


def _buffer_addresses():
    return [int(address[0]) for address in _buffers()]


def _drawn_numbers():
    from brian2.codegen.generators.cython_generator import _BUFFER_SIZE

    return [np.ctypeslib.as_array((ctypes.c_double * _BUFFER_SIZE).from_address(address)).copy() if address else None
            for address in _buffer_addresses()]


def _put_back(drawn, live):
    for address, numbers, now in zip(_buffers(), drawn, live):
        address[0] = now  # the buffer that is allocated now (the stored one may have been freed)
        if numbers is not None and now:
            ctypes.memmove(now, numbers.ctypes.data, numbers.nbytes)


class Simulation:
    """A circuit built in one mode, advanced step by step."""

    def __init__(self, graph, mode="rate", seed=0, neuron=None, plasticity=None, step=50 * b2.ms,
                 codegen="numpy", prefix="", record_spikes=False, seeds=None):
        if codegen not in CODEGEN_TARGETS:
            raise unknown("code-generation target", codegen, CODEGEN_TARGETS)
        b2.prefs.codegen.target = codegen
        if codegen == "cython":
            b2.prefs.codegen.cpp.extra_compile_args_gcc = list(STRICT_GCC_FLAGS)
            b2.prefs.codegen.runtime.cython.cache_dir = cython_cache()
        self.neuron = neuron or NeuronParams()
        self.plasticity = plasticity or PlasticityParams()
        self.mode, self.seed, self.step = mode, seed, step
        b2.seed(seed)
        self.built = build(graph, mode, seed, self.neuron, self.plasticity, prefix, step, seeds)
        self.regions = self.built.regions
        self.group = self.built.group
        self.network = self.built.network
        self._acc = np.zeros(len(self.group))
        self.history = []
        self._pending = False
        self._controller = None
        self.steps_done = 0
        self._branches = 0
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
        if _INTERRUPTED.is_set():  # a Ctrl-C or SIGTERM (see interruptible)
            raise _stop()
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
            if cause is None:
                raise
            raise cause from None
        if self._pending:
            self._record()
        for name, syn in self.built.synapses.items():
            if not np.all(np.isfinite(syn.w[:])):
                raise DivergenceError(f"plastic weights ({name}) became NaN or infinite; "
                                      "lower the learning rates (see 'vicarious list')")

    @contextlib.contextmanager
    def branch(self):
        """Within the block the simulation runs on as usual; after it, it is back where it was.

        Everything returns: every variable and weight, the clock, Brian2's random state and the
        recorded history (what the block recorded is gone, so read it inside). A paradigm runs a
        counterfactual from the same animal this way (``harm-aversion``'s paired control): the
        block after it draws what a separate run would have drawn from here.
        """
        self._branches += 1
        name = f"branch{self._branches}"  # by depth: a branch's snapshot replaces its predecessor's
        self.network.store(name)
        steps, acc, drawn = self.steps_done, self._acc.copy(), _drawn_numbers()
        try:
            yield self
        finally:
            live = _buffer_addresses()
            self.network.restore(name, restore_random_state=True)
            _put_back(drawn, live)
            self._branches -= 1
            del self.history[steps:]
            self.steps_done, self._acc, self._pending = steps, acc, False

    # -- reading ----------------------------------------------------------------------
    def rates(self, region, pop=None, start=0, stop=None):
        """Mean rate per step (Hz; array steps x units) of ``region`` or one of its populations."""
        return np.asarray(self.history[start:stop])[:, self.built.units(region, pop)]

    def weights(self, key):
        """Current weights ``w`` of the projection named ``key``."""
        return self.built.weights(key)

    # -- plasticity and stored weights --------------------------------------------------
    @contextlib.contextmanager
    def frozen(self, keys=None):
        """Within the block the projections ``keys`` (default: every synapse) do not learn (e.g.
        probes of a trained circuit); then they learn as before."""
        if keys is None:
            keys = list(self.built.edges)
        for key in keys:
            if key not in self.built.edges:
                raise unknown("projection", key, self.built.edges)
        saved = {name: np.array(syn.plastic[:]) for name, syn in self.built.synapses.items()}
        for key in keys:
            name, index = self.built.edges[key]
            self.built.synapses[name].plastic[index] = 0
        try:
            yield self
        finally:
            for name, syn in self.built.synapses.items():
                syn.plastic = saved[name]

    def scale_learning(self, keys, factor):
        """From now on the projections ``keys`` learn at ``factor`` times their present rate."""
        for key in keys:
            if key not in self.built.edges:
                raise unknown("projection", key, self.built.edges)
            name, index = self.built.edges[key]
            syn = self.built.synapses[name]
            syn.plastic[index] = np.asarray(syn.plastic[:])[index] * factor

    def _signature(self, key):
        """What must match for ``key``'s weights to fit: its ends and their population sizes."""
        graph = self.built.graph
        source, target, proj = next((s, t, p) for s, t, k, p in projections(graph) if k == key)
        sizes = {end: {pop: self.regions[node].populations()[pop].size
                       for pop in (pops or self.regions[node].populations())}
                 for end, node, pops in (("source", source, proj.source_pops), ("target", target, proj.target_pops))}
        return {"source": source, "target": target, "connectivity": proj.connectivity, **sizes,
                "synapses": len(self.weights(key))}

    def save_weights(self, path, keys=None, prefix=""):
        """Write the weights of ``keys`` (default: every projection) to the npz file ``path``.

        Each projection is stored under its key with a signature (its regions, their
        population sizes, its synapse count) that :meth:`load_weights` checks. ``keys`` are read
        from the projections ``prefix + key`` (one animal of a cohort: ``prefix='LABEL/'``).
        """
        if keys is None:
            keys = [k[len(prefix):] for k in self.built.edges if k.startswith(prefix)]
        arrays = {}
        for key in keys:
            arrays[f"w/{key}"] = self.weights(prefix + key)
            arrays[f"signature/{key}"] = np.array(json.dumps(self._signature(prefix + key), sort_keys=True))
        path = Path(path)
        with open(path, "wb") as handle:  # np.savez would append .npz to a name without it
            np.savez(handle, **arrays)
        return path

    def load_weights(self, path, keys=None, prefix=""):
        """Set projection weights from a file of :meth:`save_weights`; return the keys loaded.

        ``keys`` (default: all in the file) are the file's keys; each goes to the projection
        ``prefix + key`` of this circuit, which must exist with the same signature (same
        regions, population sizes and synapse count). Projections not loaded keep their weights.
        """
        path = Path(path)
        try:
            data = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as err:
            raise VicariousError(f"cannot read weights from {str(path)!r}: {err}") from None
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise VicariousError(f"cannot read weights from {str(path)!r}: not an npz file of save_weights")
        with data:
            stored = [name[2:] for name in data.files if name.startswith("w/")]
            keys = stored if keys is None else list(keys)
            loaded = {}
            for key in keys:
                if key not in stored:
                    raise unknown(f"projection in {str(path)!r}", key, stored)
                mine = prefix + key
                if mine not in self.built.edges:
                    raise VicariousError(f"{str(path)!r} holds weights for projection {mine!r}, which this circuit "
                                         f"lacks; its projections: {', '.join(sorted(self.built.edges))}")
                saved, have = json.loads(str(data[f"signature/{key}"])), self._signature(mine)
                if {k: v for k, v in saved.items() if k not in ("source", "target")} != \
                        {k: v for k, v in have.items() if k not in ("source", "target")}:
                    raise VicariousError(f"weights of {key!r} in {str(path)!r} do not fit projection {mine!r}: "
                                         f"saved {saved}, circuit {have}")
                loaded[mine] = np.asarray(data[f"w/{key}"])
        for key, values in loaded.items():
            self.built.set_weights(key, values)
        return list(loaded)
