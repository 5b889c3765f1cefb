"""Benchmarks of cohorts: what simulating a paradigm's seeds together in one network saves per animal.

    python benchmarks/cohorts.py [--quick]

Five measurements in one run, on the numpy code-generation target (section 1 also on cython, warm):

1. per-animal cost against cohort size: ``circuits.arena.Arena`` with the whole animal of the
   scene-based paradigms (``circuits.variants.animal_circuit``), one fresh process per mode and size
   (an untimed warm-up arena first), build and run timed separately (a run includes the fixed cost of
   its one ``run()`` call, also measured alone), the same moment every step;
2. the simulator against a hand-written batched numpy loop of the same size (:class:`NumpyCohort`);
3. spiking against rate mode per animal (from section 1);
4. ``vicarious run cue-conditioning`` with one seed per cohort against all seeds in one cohort;
5. ``vicarious study fear-conditioning --lesions amygdala`` the same way.

Every time is wall time and CPU time of the process and its children; a garbage collection runs
before each measurement and repeats keep the minimum. Prints markdown tables and writes
``benchmarks/output/cohorts.json`` (settings, versions, load average at start and end, every figure);
``benchmarks/README.md`` (section 6) explains them. ``--quick`` (about 2 minutes) measures fewer
sizes, shorter runs and fewer seeds, once each.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import brian2 as b2
import numpy as np

from run import best, ratio, timed  # this folder's timing helpers (benchmarks/run.py)

OUTPUT = Path(__file__).resolve().parent / "output"
ROOT = Path(__file__).resolve().parents[1]
STEP = 50 * b2.ms  # the scene step
STIMULUS = 40 * b2.Hz  # relay drive of a scene value of 1
PLASTIC = ("hebbian", "delta", "three_factor")  # in a Synapses' name: its weights learn
SETTINGS = {
    "full": {"sizes": {"rate": [1, 2, 5, 10, 20, 50], "spiking": [1, 2, 5, 10, 20], "rate-cython": [1, 10, 20]},
             "steps": {"rate": 200, "spiking": 40, "rate-cython": 200}, "numpy_sizes": [1, 10, 20], "repeats": 2,
             "run_seeds": 10, "run_sessions": 2, "study_seeds": 6},
    "quick": {"sizes": {"rate": [1, 5, 10], "spiking": [1, 5]},
              "steps": {"rate": 100, "spiking": 20}, "numpy_sizes": [1, 10], "repeats": 1,
              "run_seeds": 4, "run_sessions": 1, "study_seeds": 3},
}
STUDY_SETS = ("paradigm.sessions=2", "paradigm.trials=3", "paradigm.habituation_trials=1", "paradigm.test_trials=2")


def scaled(t, factor):
    return {key: value * factor for key, value in t.items()}


def command(argv):
    """Run ``argv`` from the repository root; its last line of output (a worker's JSON)."""
    proc = subprocess.run(argv, check=False, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, argv))} failed:\n{proc.stderr[-3000:]}")
    return proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""


# -- 1. per-animal cost against cohort size (each size in a fresh process) -------------------

def arena_worker(mode, n, n_steps, repeats):
    """In a subprocess: warm up, then time building an ``n``-animal arena and running it; print JSON.

    ``mode`` is ``rate``, ``spiking`` or ``rate-cython`` (rate on the cython target: the warm-up
    compiles the circuit once, or finds it in Brian2's cache, before anything is timed)."""
    import circuits.scene
    import circuits.variants
    from circuits.arena import Animal, Arena, Percept, Sight

    graph = circuits.variants.animal_circuit(circuits.scene.Scene(0).channels())
    moment = {"subject": Percept((Sight("exploring"), Sight("footshock", "cagemate", 0.5)))}

    mode, _, codegen = mode.partition("-")
    options = {"mode": mode, "codegen": codegen or "numpy"}

    def make(size):
        return Arena({"subject": Animal(graph)}, range(size), options, STEP, STIMULUS)

    make(1).run(2, lambda t: moment)  # first use in the process: not timed
    build_t, arena = timed(make, n)
    runs = [timed(arena.run, n_steps, lambda t: moment)[0] for _ in range(repeats)]
    calls = [timed(arena.run, 0, lambda t: moment)[0] for _ in range(repeats)]  # the fixed cost of one call
    print(json.dumps({"build": build_t, "run": best(runs), "run_call": best(calls),
                      "units": len(arena.sim.group) // n,
                      "synapses": {name: len(syn) // n for name, syn in arena.sim.built.synapses.items()},
                      "mean_rate_hz": float(arena.history().mean())}))


def per_animal_cost(settings):
    out = {}
    for mode, sizes in settings["sizes"].items():
        n_steps = settings["steps"][mode]
        seconds = n_steps * float(STEP)
        out[mode] = {"steps": n_steps, "simulated_s": seconds, "sizes": {}}
        for n in sizes:
            argv = [sys.executable, __file__, "--arena-worker", mode, str(n), str(n_steps), str(settings["repeats"])]
            r = json.loads(command(argv))
            r["run_per_simulated_s"] = scaled(r["run"], 1 / seconds)
            r["per_animal_per_simulated_s"] = scaled(r["run"], 1 / (seconds * n))
            out[mode]["sizes"][n] = r
            print(f"  {mode}, {n} animals: run {r['run']['wall_s']:.2f} s", file=sys.stderr)
        one = out[mode]["sizes"][sizes[0]]["per_animal_per_simulated_s"]
        for r in out[mode]["sizes"].values():
            r["animals_per_cpu_s_relative_to_1"] = ratio(one, r["per_animal_per_simulated_s"])
    single = out["rate"]["sizes"][settings["sizes"]["rate"][0]]["per_animal_per_simulated_s"]  # one animal, numpy
    for r in out.get("rate-cython", {}).get("sizes", {}).values():
        r["animals_per_cpu_s_relative_to_numpy_1"] = ratio(single, r["per_animal_per_simulated_s"])
    return out


# -- 2. the simulator against hand-written numpy -------------------------------------------

class NumpyCohort:
    """The near-limit reference: ``n`` animals of ``units`` rate units in one hand-written numpy loop.

    State is (animals, units). Every animal has ``fixed`` fixed and ``plastic`` Hebbian synapses
    between random units (the same wiring in every animal, its own weights). Every dt (2 ms, the
    simulator's rate-mode dt): synaptic input, an Euler step of ``tau du/dt = -u + gain * drive +
    noise`` with ``r = clip(u, 0, 100 Hz)``, then the Hebbian update of the plastic weights; every
    50 ms step: a new external input and the step's mean rates recorded. The synapses are sorted by
    target, gathered with ``take`` and summed per target with ``np.add.reduceat``: the fastest of the
    ways tried. At 10 and 20 animals ``np.bincount`` on flat indices was 1.2x slower, ``np.add.at`` 3x,
    and a dense masked (animals, units, units) weight matrix with ``matmul`` over 10x.
    """

    DT, R_MAX, R_REF, ETA, G_PLASTIC, NOISE = 2e-3, 100.0, 40.0, 0.5, 0.1, 1.0

    def __init__(self, n, units, fixed, plastic, seed=0):
        self.rng = np.random.default_rng(seed)
        self.fixed, self.plastic = self.wiring(units, fixed), self.wiring(units, plastic)
        self.g = self.rng.uniform(-0.2, 0.1, (n, fixed))  # signed efficacies of the fixed synapses
        self.w = self.rng.uniform(0.1, 0.5, (n, plastic))
        self.tau = self.rng.uniform(10e-3, 20e-3, units)
        self.gain = np.ones(units)
        self.u = np.zeros((n, units))
        self.inputs = float(STIMULUS) * (self.rng.random((4, n, units)) < 0.2)  # a fifth of the units driven
        self.history = []

    def wiring(self, units, count):
        """(pre, post, targets, starts) of ``count`` random synapses, sorted by post."""
        pre, post = self.rng.integers(0, units, (2, count))
        order = np.argsort(post, kind="stable")
        targets, starts = np.unique(post[order], return_index=True)
        return pre[order], post[order], targets, starts

    def summed(self, values, wiring):
        out = np.zeros_like(self.u)
        out[:, wiring[2]] = np.add.reduceat(values, wiring[3], axis=1)
        return out

    def run(self, n_steps):
        per_step = round(float(STEP) / self.DT)
        decay, kick = self.DT / self.tau, self.NOISE * np.sqrt(2 * self.DT / self.tau)
        u, w, r = self.u, self.w, np.clip(self.u, 0, self.R_MAX)
        for k in range(n_steps):
            external = self.inputs[k % len(self.inputs)]
            acc = np.zeros_like(u)
            for _ in range(per_step):
                x = r.take(self.plastic[0], axis=1)
                drive = (self.summed(self.g * r.take(self.fixed[0], axis=1), self.fixed)
                         + self.summed(self.G_PLASTIC * w * x, self.plastic) + external)
                u += decay * (self.gain * drive - u) + kick * self.rng.standard_normal(u.shape)
                np.clip(u, 0, self.R_MAX, out=r)
                w += self.DT * self.ETA * (r.take(self.plastic[1], axis=1) / self.R_REF) * (x / self.R_REF - w)
                acc += r
            self.history.append(acc / per_step)


def against_numpy(settings, cost):
    rate = cost["rate"]
    size = rate["sizes"][1]
    plastic = sum(count for name, count in size["synapses"].items() if any(p in name for p in PLASTIC))
    fixed = sum(size["synapses"].values()) - plastic
    n_steps, seconds = rate["steps"], rate["simulated_s"]
    out = {"units": size["units"], "fixed_synapses": fixed, "plastic_synapses": plastic, "sizes": {}}
    NumpyCohort(1, size["units"], fixed, plastic).run(2)  # first use: not timed
    for n in settings["numpy_sizes"]:
        times = []
        for _ in range(settings["repeats"]):
            model = NumpyCohort(n, size["units"], fixed, plastic)
            times.append(timed(model.run, n_steps)[0])
        numpy_, vicarious = scaled(best(times), 1 / (seconds * n)), rate["sizes"][n]
        out["sizes"][n] = {"numpy_per_animal_per_simulated_s": numpy_,
                           "vicarious_per_animal_per_simulated_s": vicarious["per_animal_per_simulated_s"],
                           "vicarious_over_numpy": ratio(vicarious["per_animal_per_simulated_s"], numpy_),
                           "mean_rate_hz": {"numpy": float(np.mean(model.history)),
                                            "vicarious": vicarious["mean_rate_hz"]}}
    return out


# -- 3. spiking against rate ---------------------------------------------------------------

def spiking_over_rate(cost):
    out = {}
    for n in cost["spiking"]["sizes"]:
        rate, spiking = (cost[mode]["sizes"][n]["per_animal_per_simulated_s"] for mode in ("rate", "spiking"))
        out[n] = {"rate": rate, "spiking": spiking, "spiking_over_rate": ratio(spiking, rate)}
    return out


# -- 4. and 5. the command line, one seed at a time against one cohort ------------------------

def cli_cohorts(name, argv_for, seeds, repeats, tmp):
    """Time ``argv_for(cohort, out)`` with cohort 1 and cohort ``seeds`` (interleaved repeats)."""
    times = {1: [], seeds: []}
    for k in range(repeats):
        for cohort, runs in times.items():
            runs.append(timed(command, argv_for(cohort, tmp / f"{name}-{cohort}-{k}"))[0])
            print(f"  {name}, cohort {cohort}: {runs[-1]['wall_s']:.1f} s", file=sys.stderr)
    one, together = best(times[1]), best(times[seeds])
    return {"seeds": seeds, "cohort_1": one, f"cohort_{seeds}": together, "ratio": ratio(one, together)}


def paradigm_run(settings, tmp):
    seeds, sessions = settings["run_seeds"], settings["run_sessions"]

    def argv(cohort, out):
        return [sys.executable, "-m", "circuits", "run", "cue-conditioning", "--seeds", str(seeds),
                "--set", f"paradigm.sessions={sessions}", "--cohort", str(cohort),
                "--no-figures", "--quiet", "--out", str(out), "--force"]
    return cli_cohorts("run", argv, seeds, settings["repeats"], tmp) | {"sessions": sessions}


def lesion_study(settings, tmp):
    seeds = settings["study_seeds"]
    sets = [arg for item in STUDY_SETS for arg in ("--set", item)]

    def argv(cohort, out):
        return [sys.executable, "-m", "circuits", "study", "fear-conditioning", "--lesions", "amygdala",
                "--seeds", str(seeds), *sets, "--workers", "0", "--cohort", str(cohort),
                "--no-figures", "--quiet", "--out", str(out), "--force"]
    return cli_cohorts("study", argv, seeds, settings["repeats"], tmp) | {"sets": list(STUDY_SETS)}


# -- report --------------------------------------------------------------------------------

def fmt(value):
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def wc(t):
    """``wall / cpu`` of a time."""
    return f"{fmt(t['wall_s'])} / {fmt(t['cpu_s'])}"


def table(title, header, rows):
    print(f"\n{title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(fmt(v) if not isinstance(v, dict) else wc(v) for v in row) + " |")


def report(r):
    s1, s2, s3, s4, s5 = (r[k] for k in ("per_animal_cost", "against_numpy", "spiking_over_rate",
                                         "paradigm_run", "lesion_study"))
    for mode, m in s1.items():
        cython = mode.endswith("cython")
        target = "cython target, warm cache" if cython else "numpy target"
        extra = ["vs 1 animal on numpy"] if cython else []
        table(f"1. per-animal cost against cohort size, {mode.split('-')[0]} ({m['simulated_s']:g} s simulated = "
              f"{m['steps']} steps, {target}; seconds wall / CPU)",
              ["animals", "build (s)", "each run() call (s)", "run (s) per simulated s",
               "per animal (s) per simulated s", "animals per CPU-second relative to 1 animal"] + extra,
              [[n, x["build"], x["run_call"], x["run_per_simulated_s"], x["per_animal_per_simulated_s"],
                x["animals_per_cpu_s_relative_to_1"]["cpu_s"]]
               + ([x["animals_per_cpu_s_relative_to_numpy_1"]["cpu_s"]] if cython else [])
               for n, x in m["sizes"].items()])
    table(f"2. vicarious against hand-written batched numpy ({s2['units']} units, {s2['fixed_synapses']} fixed + "
          f"{s2['plastic_synapses']} plastic synapses per animal; rate; per animal, s per simulated s, wall / CPU)",
          ["animals", "numpy", "vicarious", "vicarious / numpy", "mean rate, numpy / vicarious (Hz)"],
          [[n, x["numpy_per_animal_per_simulated_s"], x["vicarious_per_animal_per_simulated_s"],
            x["vicarious_over_numpy"], f"{fmt(x['mean_rate_hz']['numpy'])} / {fmt(x['mean_rate_hz']['vicarious'])}"]
           for n, x in s2["sizes"].items()])
    table("3. spiking against rate (per animal, s per simulated s, wall / CPU)",
          ["animals", "rate", "spiking", "spiking / rate"],
          [[n, x["rate"], x["spiking"], x["spiking_over_rate"]] for n, x in s3.items()])
    titles = (f"4. vicarious run cue-conditioning, {s4['seeds']} seeds, {s4['sessions']} session(s)",
              f"5. vicarious study fear-conditioning --lesions amygdala, {s5['seeds']} seeds per lesion, --workers 0")
    for title, s in zip(titles, (s4, s5)):
        n = s["seeds"]
        table(f"{title} (seconds wall / CPU, whole process)", ["cohort", "time (s)", f"cohort 1 / cohort {n}"],
              [[1, s["cohort_1"], "1 / 1"], [n, s[f"cohort_{n}"], s["ratio"]]])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes, shorter runs, fewer seeds, no repeats")
    parser.add_argument("--arena-worker", nargs=4, metavar=("MODE", "N", "STEPS", "REPEATS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.arena_worker:
        mode, n, n_steps, repeats = args.arena_worker
        return arena_worker(mode, int(n), int(n_steps), int(repeats))

    settings = SETTINGS["quick" if args.quick else "full"]
    load = os.getloadavg()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in load)}")
    if load[0] > 1.5:
        print("WARNING: the machine is busy (load average above 1.5): the figures include other jobs' time",
              file=sys.stderr)
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="vicarious-cohorts-bench-"))
    try:
        cost = per_animal_cost(settings)
        results = {
            "settings": settings | {"mode": "quick" if args.quick else "full", "study_sets": list(STUDY_SETS)},
            "environment": {"python": platform.python_version(), "brian2": b2.__version__, "numpy": np.__version__,
                            "cpus": len(os.sched_getaffinity(0)), "load_average_at_start": load},
            "per_animal_cost": cost,
            "against_numpy": against_numpy(settings, cost),
            "spiking_over_rate": spiking_over_rate(cost),
            "paradigm_run": paradigm_run(settings, tmp),
            "lesion_study": lesion_study(settings, tmp),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results["environment"]["load_average_at_end"] = os.getloadavg()
    results["total_wall_s"] = time.perf_counter() - started
    report(results)
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "cohorts.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in results['environment']['load_average_at_end'])}; "
          f"total {results['total_wall_s']:.0f} s wall; wrote {OUTPUT / 'cohorts.json'}")


if __name__ == "__main__":
    main()
