"""Benchmarks: vicarious vs plain Brian2, rate vs spiking, code-generation targets, step loop.

    python benchmarks/run.py [--quick]

Prints the tables and writes ``benchmarks/output/results.json``; ``benchmarks/README.md``
explains the measurements and gives the figures of a full run. Every time is taken as wall
time and as CPU time of this process and its children (the CPU time is the figure that
other jobs on the machine disturb least); repeated measurements keep the minimum.
"""

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import brian2 as b2
import networkx as nx
import numpy as np
from brian2.devices.device import reset_device

from circuits.graph import add_region, connect, default_circuit
from circuits.simulation import Simulation
from regions import BLA, Cortex, SensoryThalamus
from regions.sensory import SensoryParams

OUTPUT = Path(__file__).resolve().parent / "output"
STEP = 50 * b2.ms  # the scene step (Simulation's default)
CUE = 40 * b2.Hz  # input to the cued thalamic channel
SETTINGS = {  # simulated seconds per section, timing repeats, circuit of the code-generation section
    "full": {"small_s": 20, "default_s": 5, "codegen_s": 20, "step_loop_s": 10, "repeats": 5,
             "codegen_circuit": "default"},
    "quick": {"small_s": 5, "default_s": 2, "codegen_s": 5, "step_loop_s": 3, "repeats": 2,
              "codegen_circuit": "small"},
}


def steps(seconds):
    return int(round(seconds / float(STEP)))


def cue(k):
    """The thalamic channel cued in step ``k``: tone and light alternate every 10 steps."""
    return ("tone", "light")[k // 10 % 2]


def controller(sim):
    def set_inputs(k):
        sim.clear_inputs()
        sim.set_input("thalamus", cue(k), CUE)
    return set_inputs


def cpu_seconds():
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # e.g. the C compiler, code-generation workers
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(fn, *args):
    """``({"wall_s", "cpu_s"}, fn(*args))``; garbage left by earlier runs is collected first."""
    gc.collect()
    wall, cpu = time.perf_counter(), cpu_seconds()
    value = fn(*args)
    return {"wall_s": time.perf_counter() - wall, "cpu_s": cpu_seconds() - cpu}, value


def best(times):
    return {key: min(t[key] for t in times) for key in ("wall_s", "cpu_s")}


def ratio(a, b):
    return {key: a[key] / b[key] for key in ("wall_s", "cpu_s")}


def size(sim):
    return {"units": len(sim.group), "synapses": sum(len(s) for s in sim.built.synapses.values())}


# -- 1. the small circuit, through vicarious and by hand ------------------------------------

def small_circuit():
    """Thalamic relay -> cortex (lateral inhibition, Hebbian afferents) -> BLA (fixed input)."""
    graph = nx.MultiDiGraph(name="small")
    channels = (("tone", 4), ("light", 4), ("nociception", 4))
    add_region(graph, SensoryThalamus("thalamus", SensoryParams(channels=channels)))
    add_region(graph, Cortex("cortex"))
    add_region(graph, BLA("bla"))
    connect(graph, "thalamus", "cortex", "thalamus_to_cortex", plasticity="hebbian", weight=0.5,
            w_low=0.1, w_high=0.5)
    connect(graph, "cortex", "bla", weight=0.1)
    return graph


PLAIN_UNITS = """
du/dt = (gain * drive - u) / tau + noise * sqrt(2 / tau) * xi : Hz
r = clip(u, 0*Hz, r_max) : Hz
drive = I + bias + I_ext : Hz
I = I_hebb + I_fixed : Hz
dI_hebb/dt = (I_hebb_in - I_hebb) / lag : Hz
dI_fixed/dt = (I_fixed_in - I_fixed) / lag : Hz
I_hebb_in : Hz
I_fixed_in : Hz
teach = 0*Hz : Hz
dteach_acc/dt = teach : 1
dacc/dt = r : 1
dracc/dt = r : 1
error : Hz
b_prev : Hz
I_ext : Hz
tau : second (constant)
bias : Hz (constant)
noise : Hz (constant)
gain : 1 (constant)
"""
PLAIN_TD = """
error = (1 - exp(-t_step / horizon)) * teach_acc / t_step + exp(-t_step / horizon) * racc / t_step - b_prev
b_prev = racc / t_step
"""
PLAIN_HEBB = """
dw/dt = eta * (r_post / r_ref) * (r_pre / r_ref - w) : 1 (clock-driven)
I_hebb_in_post = g_hebb * w * r_pre : Hz (summed)
"""


class PlainSmall:
    """The small circuit written directly in Brian2, without vicarious.

    One group of 56 rate units (12 thalamic relay, 12 ACC/insula + 24 association cortex,
    8 BLA) carrying the BLA's TD error and the step integrals that vicarious keeps for
    every unit; 432 Hebbian and 972 fixed synapses; a NetworkOperation per step that
    records each unit's mean rate from ``acc`` and sets the cue.
    """

    def __init__(self, seed):
        b2.prefs.codegen.target = "numpy"
        b2.seed(seed)
        dt = 2 * b2.ms
        thalamus, acc_insula, association = np.arange(0, 12), np.arange(12, 24), np.arange(24, 48)
        cortex, bla = np.arange(12, 48), np.arange(48, 56)
        ns = {"r_max": 100 * b2.Hz, "lag": dt, "t_step": STEP, "horizon": 0.5 * b2.second,
              "eta": 0.5 / b2.second, "r_ref": 40 * b2.Hz, "g_hebb": 0.5}
        units = b2.NeuronGroup(56, PLAIN_UNITS, method="euler", dt=dt, name="neurons", namespace=ns)
        units.tau = np.repeat([10, 20, 20], [12, 36, 8]) * b2.ms
        units.bias = np.repeat([0, -5, 0], [12, 36, 8]) * b2.Hz
        units.noise = np.repeat([0.5, 1, 0.5], [12, 36, 8]) * b2.Hz
        units.gain = 1
        units.run_regularly(PLAIN_TD, dt=STEP, when="start", order=1)
        units.run_regularly("racc = 0\nteach_acc = 0", dt=STEP, when="start", order=3)

        hebb = b2.Synapses(units, units, PLAIN_HEBB, method="euler", dt=dt, name="syn_hebbian", namespace=ns)
        hebb.connect(i=np.repeat(thalamus, len(cortex)), j=np.tile(cortex, len(thalamus)))
        hebb.w = np.random.default_rng(seed).uniform(0.1, 0.5, len(hebb))

        def pairs(src, tgt, g, self_connections=True):
            i, j = (a.ravel() for a in np.meshgrid(src, tgt, indexing="ij"))
            keep = self_connections | (i != j)
            return i[keep], j[keep], np.full(keep.sum(), g)

        fixed = b2.Synapses(units, units, "g : 1 (constant)\nI_fixed_in_post = g * r_pre : Hz (summed)",
                            dt=dt, name="syn_fixed", namespace=ns)
        i, j, g = (np.concatenate(a) for a in zip(pairs(acc_insula, acc_insula, -0.1, False),
                                                  pairs(association, association, -0.1, False),
                                                  pairs(cortex, bla, 0.1)))
        fixed.connect(i=i, j=j)
        fixed.g = g

        self.units, self.hebb, self.fixed = units, hebb, fixed
        self.history, self.acc, self.pending = [], np.zeros(len(units)), False
        self.net = b2.Network(units, hebb, fixed, b2.NetworkOperation(self.on_step, dt=STEP, when="start"))

    def record(self):  # mean rate of each unit over the step that just ended
        acc = np.array(self.units.acc[:])
        self.history.append((acc - self.acc) / float(STEP))
        self.acc, self.pending = acc, False

    def on_step(self):
        if self.pending:
            self.record()
        self.units.I_ext = 0 * b2.Hz
        self.units.I_ext[{"tone": slice(0, 4), "light": slice(4, 8)}[cue(len(self.history))]] = CUE
        self.pending = True

    def run(self, n_steps):
        self.net.run(n_steps * STEP)
        self.record()


def small_run(kind, seconds, seed):
    """Build and run the small circuit the ``kind`` way ('vicarious' or 'plain')."""
    if kind == "vicarious":
        build_t, sim = timed(lambda: Simulation(small_circuit(), seed=seed))
        run_t, _ = timed(sim.run, steps(seconds), controller(sim))
        return {"build": build_t, "run": run_t, "rates": np.asarray(sim.history),
                "w": sim.weights("thalamus_to_cortex"), **size(sim)}
    build_t, model = timed(PlainSmall, seed)
    run_t, _ = timed(model.run, steps(seconds))
    return {"build": build_t, "run": run_t, "rates": np.asarray(model.history), "w": np.array(model.hebb.w[:]),
            "units": len(model.units), "synapses": len(model.hebb) + len(model.fixed)}


def framework_vs_plain(seconds, repeats, seed=1):
    small_run("vicarious", 0.1, seed), small_run("plain", 0.1, seed)  # first use in the process: not timed
    runs = {"vicarious": [], "plain": []}
    for rep in range(repeats):
        for kind in ("vicarious", "plain") if rep % 2 == 0 else ("plain", "vicarious"):
            runs[kind].append(small_run(kind, seconds, seed))
    fw, pl = runs["vicarious"][0], runs["plain"][0]
    other_seed = small_run("plain", seconds, seed + 1)
    out = {"simulated_s": seconds, "repeats": repeats, "units": [fw["units"], pl["units"]],
           "synapses": [fw["synapses"], pl["synapses"]], "steps_recorded": len(fw["rates"]),
           "mean_rate_hz": float(fw["rates"].mean()),
           "max_rate_difference_hz": float(np.max(np.abs(fw["rates"] - pl["rates"]))),
           "max_weight_difference": float(np.max(np.abs(fw["w"] - pl["w"]))),
           "max_rate_difference_other_seed_hz": float(np.max(np.abs(other_seed["rates"] - pl["rates"])))}
    for phase in ("build", "run"):
        for kind in runs:
            out[f"{kind}_{phase}"] = best([r[phase] for r in runs[kind]])
        out[f"{phase}_ratio"] = ratio(out[f"vicarious_{phase}"], out[f"plain_{phase}"])
    return out


# -- 2. rate vs spiking --------------------------------------------------------------------

def rate_vs_spiking(seconds, repeats):
    times = {mode: {"build": [], "run": []} for mode in ("rate", "spiking")}
    for _ in range(repeats):
        for mode in times:
            build_t, sim = timed(lambda mode=mode: Simulation(default_circuit(), mode=mode))
            run_t, _ = timed(sim.run, steps(seconds), controller(sim))
            times[mode]["build"].append(build_t)
            times[mode]["run"].append(run_t)
    out = {"simulated_s": seconds, "repeats": repeats, **size(sim)}
    for mode, t in times.items():
        out[mode] = {"build": best(t["build"]), "run": best(t["run"])}
        out[mode]["run_per_simulated_s"] = {k: v / seconds for k, v in out[mode]["run"].items()}
    out["spiking_over_rate_run"] = ratio(out["spiking"]["run"], out["rate"]["run"])
    return out


# -- 3. code-generation targets (each measured in a fresh process) -------------------------

def codegen_worker(target, circuit, seconds, cache_dir):
    """Run in a subprocess: build, first step (code generation and compilation), then the run.

    Every ``Network.run`` starts with a full ``gc.collect()``, whose cost grows with the
    objects alive in the process (many more after a compilation, which imports Cython);
    a run of no steps measures that fixed cost, which the per-simulated-second figure excludes.
    """
    b2.prefs.codegen.runtime.cython.cache_dir = cache_dir
    graph = default_circuit() if circuit == "default" else small_circuit()
    build_t, sim = timed(lambda: Simulation(graph, codegen=target))
    first_t, _ = timed(sim.run, 1, controller(sim))
    call_t = best([timed(sim.run, 0)[0] for _ in range(3)])
    run_t, _ = timed(sim.run, steps(seconds), controller(sim))
    print(json.dumps({"build": build_t, "first_step": first_t, "run_call": call_t,
                      "setup": {k: build_t[k] + first_t[k] for k in build_t},
                      "run_per_simulated_s": {k: (run_t[k] - call_t[k]) / seconds for k in run_t}}))


def codegen_targets(circuit, seconds):
    out = {"circuit": circuit, "simulated_s": seconds}
    with tempfile.TemporaryDirectory(prefix="vicarious-cython-") as cache:
        for label, target in (("numpy", "numpy"), ("cython_cold", "cython"), ("cython_warm", "cython")):
            cmd = [sys.executable, __file__, "--codegen-worker", target, "--circuit", circuit,
                   "--seconds", str(seconds), "--cache-dir", cache]
            process_t, proc = timed(lambda cmd=cmd: subprocess.run(cmd, capture_output=True, text=True, check=True))
            out[label] = json.loads(proc.stdout.strip().splitlines()[-1]) | {"process": process_t}
        out["cache_files"] = len(os.listdir(cache))
    numpy_, cold, warm = out["numpy"], out["cython_cold"], out["cython_warm"]
    out["compile"] = {k: cold["setup"][k] - warm["setup"][k] for k in ("wall_s", "cpu_s")}
    out["cython_speedup_run"] = ratio(numpy_["run_per_simulated_s"], warm["run_per_simulated_s"])
    for label in ("cold", "warm"):  # simulated seconds after which cython has paid for its setup
        key = f"break_even_{label}_simulated_s"
        out[key] = {}
        for k in ("wall_s", "cpu_s"):
            extra = out[f"cython_{label}"]["setup"][k] - numpy_["setup"][k]
            saving = numpy_["run_per_simulated_s"][k] - warm["run_per_simulated_s"][k]
            out[key][k] = max(0.0, extra) / saving if saving > 0 else None
    return out


# -- 4. cost of the step loop (the NetworkOperation and the controller) ---------------------

def step_loop(seconds, repeats):
    """Run time with and without a controller; the NetworkOperation's own time from Brian2's profiler."""
    n = steps(seconds)
    variants = {"controller_none": lambda sim: None, "controller_sets_inputs": controller}
    times = {name: {"run": [], "operation_s": []} for name in variants}
    b2.set_device("runtime", profile=True)  # Network.run then times every object (Network.profiling_info)
    try:
        for _ in range(repeats):
            for name, make in variants.items():
                sim = Simulation(default_circuit())
                run_t, _ = timed(sim.run, n, make(sim))
                op = next(o.name for o in sim.network.objects if isinstance(o, b2.NetworkOperation))
                times[name]["run"].append(run_t)
                times[name]["operation_s"].append(float(dict(sim.network.profiling_info)[op]))
    finally:
        reset_device()
    out = {"simulated_s": seconds, "steps": n, "repeats": repeats}
    for name, t in times.items():
        run, op = best(t["run"]), min(t["operation_s"])
        out[name] = {"run": run, "operation_per_step_us": op / n * 1e6, "operation_share_of_run": op / run["wall_s"]}
    return out


# -- report --------------------------------------------------------------------------------

def fmt(value):
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def table(title, header, rows):
    rows = [[fmt(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    print(f"\n{title}")
    for row in [header, ["-" * w for w in widths]] + rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)))


def wc(t):
    """``wall / cpu`` of a time."""
    return f"{fmt(t['wall_s'])} / {fmt(t['cpu_s'])}"


def report(r):
    s1, s2, s3, s4 = r["framework_vs_plain"], r["rate_vs_spiking"], r["codegen"], r["step_loop"]
    table(f"1. vicarious vs plain Brian2 (small circuit: {s1['units'][0]} units, {s1['synapses'][0]} synapses; "
          f"{s1['simulated_s']} s simulated, numpy; best of {s1['repeats']}; seconds wall / cpu)",
          ["phase", "vicarious", "plain", "ratio"],
          [[p, wc(s1[f"vicarious_{p}"]), wc(s1[f"plain_{p}"]), wc(s1[f"{p}_ratio"])] for p in ("build", "run")])
    print(f"  same numbers: max |rate difference| {s1['max_rate_difference_hz']:.3g} Hz, max |w difference| "
          f"{s1['max_weight_difference']:.3g} over {s1['steps_recorded']} steps (mean rate "
          f"{s1['mean_rate_hz']:.3g} Hz; another seed differs by up to {s1['max_rate_difference_other_seed_hz']:.3g} Hz)")
    table(f"2. rate vs spiking (default circuit: {s2['units']} units, {s2['synapses']} synapses; "
          f"{s2['simulated_s']} s simulated, numpy; best of {s2['repeats']}; seconds wall / cpu)",
          ["mode", "build", "run", "run per simulated s"],
          [[m, wc(s2[m]["build"]), wc(s2[m]["run"]), wc(s2[m]["run_per_simulated_s"])] for m in ("rate", "spiking")])
    print(f"  spiking / rate (run): {wc(s2['spiking_over_rate_run'])}")
    table(f"3. code generation ({s3['circuit']} circuit, rate mode, {s3['simulated_s']} s simulated, "
          "each in a fresh process; seconds wall / cpu)",
          ["target", "build", "first step", "each run() call", "run per simulated s", "whole process"],
          [[k, wc(s3[k]["build"]), wc(s3[k]["first_step"]), wc(s3[k]["run_call"]), wc(s3[k]["run_per_simulated_s"]),
            wc(s3[k]["process"])]
           for k in ("numpy", "cython_cold", "cython_warm")])
    print(f"  compile {wc(s3['compile'])} s; cython runs {wc(s3['cython_speedup_run'])}x faster once built; "
          f"break-even after {wc(s3['break_even_cold_simulated_s'])} simulated s on a cold cache, "
          f"{wc(s3['break_even_warm_simulated_s'])} on a warm one")
    table(f"4. step loop (default circuit, rate, numpy, {s4['simulated_s']} s = {s4['steps']} steps of 50 ms; "
          f"best of {s4['repeats']})",
          ["controller", "run s wall / cpu", "NetworkOperation us per step", "share of run"],
          [[k, wc(s4[k]["run"]), s4[k]["operation_per_step_us"], s4[k]["operation_share_of_run"]]
           for k in ("controller_none", "controller_sets_inputs")])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs; code generation on the small circuit")
    parser.add_argument("--codegen-worker", help=argparse.SUPPRESS)
    parser.add_argument("--circuit", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.codegen_worker:
        return codegen_worker(args.codegen_worker, args.circuit, args.seconds, args.cache_dir)

    settings = SETTINGS["quick" if args.quick else "full"]
    started = time.perf_counter()
    b2.prefs.codegen.target = "numpy"
    results = {
        "settings": settings,
        "environment": {"python": platform.python_version(), "brian2": b2.__version__, "numpy": np.__version__,
                        "cpus": len(os.sched_getaffinity(0)), "load_average_at_start": os.getloadavg()},
        "framework_vs_plain": framework_vs_plain(settings["small_s"], settings["repeats"]),
        "rate_vs_spiking": rate_vs_spiking(settings["default_s"], settings["repeats"]),
        "codegen": codegen_targets(settings["codegen_circuit"], settings["codegen_s"]),
        "step_loop": step_loop(settings["step_loop_s"], settings["repeats"]),
    }
    results["environment"]["load_average_at_end"] = os.getloadavg()
    results["total_wall_s"] = time.perf_counter() - started
    report(results)
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "results.json").write_text(json.dumps(results, indent=2))
    print(f"\ntotal {results['total_wall_s']:.0f} s wall; wrote {OUTPUT / 'results.json'}")


if __name__ == "__main__":
    main()
