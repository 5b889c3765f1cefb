"""Benchmark of ``vicarious study``: throughput with 1 and 2 workers, and the cost per run of the machinery.

    python benchmarks/study.py [--seeds N] [--repeats R]

Every variant runs the same runs (a short fear-conditioning, intact and amygdala x N
seeds) in a fresh Python process, so each pays the same start-up (interpreter, imports):

* ``serial``: the runs one after another in one process, through :func:`circuits.runner.simulate`,
  writing nothing (the bare simulations);
* ``study, in process``: ``vicarious study --workers 0``: the same, plus storing each run,
  the table, the statistics and study.json;
* ``study, 1 worker`` / ``2 workers``: ``vicarious study --workers 1|2`` on a LocalCluster
  (worker processes started, Brian2 imported in each, rows sent back to the client).

Each time is wall time and CPU time of the process and its children (the workers);
repeats keep the minimum. Parallel efficiency = t(1 worker) / (2 t(2 workers)). Prints a
table and writes ``benchmarks/output/study.json``.
"""

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "output"
ROOT = Path(__file__).resolve().parents[1]
PARADIGM = "fear-conditioning"
LESIONS = "amygdala"
SETS = ("paradigm.sessions=2", "paradigm.trials=3", "paradigm.habituation_trials=1", "paradigm.test_trials=2")

CLUSTER = """
from circuits.study import dask_client
with dask_client({workers}) as client:
    client.run(lambda: None)  # every worker up, Brian2 imported by the plugin
"""
SERIAL = """
import sys
from circuits.runner import simulate
from circuits.study import job_config, make_spec
spec = make_spec({paradigm!r}, {lesions!r}, {seeds}, {sets!r})
for job in spec.jobs():
    simulate(job_config(job), progress=False)
"""


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv):
    """Run ``argv`` in a fresh process; ``{"wall_s", "cpu_s"}`` (CPU of it and its children)."""
    cpu, wall = children_cpu(), time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    times = {"wall_s": time.perf_counter() - wall, "cpu_s": children_cpu() - cpu}
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{proc.stderr[-3000:]}")
    return times


def study_argv(out, workers, seeds):
    sets = [arg for item in SETS for arg in ("--set", item)]
    return [sys.executable, "-m", "circuits", "study", PARADIGM, "--lesions", LESIONS, "--seeds", str(seeds),
            *sets, "--workers", str(workers), "--out", str(out), "--no-figures", "--quiet"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=6, help="seeds per lesion (runs = 2 x seeds), default 6")
    parser.add_argument("--repeats", type=int, default=2, help="repeats of each variant (minimum kept), default 2")
    args = parser.parse_args(argv)
    runs = 2 * args.seeds
    serial = [sys.executable, "-c", SERIAL.format(paradigm=PARADIGM, lesions=LESIONS, seeds=args.seeds,
                                                  sets=list(SETS))]
    tmp = Path(tempfile.mkdtemp(prefix="vicarious-study-bench-"))
    variants = {"serial": lambda k: serial,
                "study, in process": lambda k: study_argv(tmp / f"w0-{k}", 0, args.seeds),
                "study, 1 worker": lambda k: study_argv(tmp / f"w1-{k}", 1, args.seeds),
                "study, 2 workers": lambda k: study_argv(tmp / f"w2-{k}", 2, args.seeds),
                "LocalCluster start + stop only, 2 workers": lambda k: [sys.executable, "-c",
                                                                        CLUSTER.format(workers=2)]}
    load_start = os.getloadavg()
    results = {name: [] for name in variants}
    try:
        for k in range(args.repeats):  # variants interleaved, so a change in machine load hits them all
            for name, make in variants.items():
                results[name].append(timed(make(k)))
                print(f"  {name} (repeat {k + 1}): {results[name][-1]['wall_s']:.1f} s", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    best = {name: {key: min(t[key] for t in times) for key in ("wall_s", "cpu_s")} for name, times in results.items()}
    base = best["serial"]
    table = []
    for name, t in best.items():
        if name.startswith("LocalCluster"):
            table.append({"variant": name, "wall_s": t["wall_s"], "cpu_s": t["cpu_s"]})
            continue
        table.append({"variant": name, "wall_s": t["wall_s"], "cpu_s": t["cpu_s"],
                      "runs_per_min": 60 * runs / t["wall_s"],
                      "overhead_per_run_s": (t["wall_s"] - base["wall_s"]) / runs,
                      "cpu_overhead_per_run_s": (t["cpu_s"] - base["cpu_s"]) / runs})
    t1, t2 = best["study, 1 worker"], best["study, 2 workers"]
    efficiency = {key: t1[key] / (2 * t2[key]) for key in ("wall_s",)}
    report = {"settings": {"paradigm": PARADIGM, "lesions": ["intact", LESIONS], "seeds": args.seeds, "runs": runs,
                           "sets": list(SETS), "repeats": args.repeats},
              "table": table, "parallel_efficiency": efficiency["wall_s"], "speedup_2_vs_1": t1["wall_s"] / t2["wall_s"],
              "load_average": {"start": load_start, "end": os.getloadavg()},
              "cores": len(os.sched_getaffinity(0)), "python": platform.python_version(), "raw": results}
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "study.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"{runs} runs of {PARADIGM} ({', '.join(SETS)}), best of {args.repeats}, wall / CPU seconds")
    print("| variant | wall (s) | CPU (s) | runs per minute | overhead per run vs serial (s, wall / CPU) |")
    print("|---|---|---|---|---|")
    for row in table:
        if "runs_per_min" not in row:
            print(f"| {row['variant']} | {row['wall_s']:.1f} | {row['cpu_s']:.1f} | – | – |")
            continue
        print(f"| {row['variant']} | {row['wall_s']:.1f} | {row['cpu_s']:.1f} | {row['runs_per_min']:.1f} | "
              f"{row['overhead_per_run_s']:+.2f} / {row['cpu_overhead_per_run_s']:+.2f} |")
    print(f"parallel efficiency t1 / (2 t2) = {report['parallel_efficiency']:.2f} "
          f"(speed-up {report['speedup_2_vs_1']:.2f}x); load average {load_start[0]:.1f} at start, "
          f"{report['load_average']['end'][0]:.1f} at end")


if __name__ == "__main__":
    main()
