"""Lesion studies: a paradigm run under every lesion, parameter-grid point and seed, in parallel.

A study is a :class:`StudySpec`: one paradigm and mode, a list of lesions (the intact circuit
always among them), fixed parameter overrides, a parameter grid (the Cartesian product of
the values given for each swept key) and seeds. Each (lesion, grid point, seed) is one
**run**, written by :func:`circuits.results.write_result` into ``runs/<run-id>/`` (results.csv,
traces.csv, config.json, provenance.json), atomically, the moment it finishes. The runs of a
lesion and grid point are simulated together, as cohorts (:mod:`circuits.arena`): the spec's
seeds in consecutive packs of at most :data:`circuits.config.COHORT`, one task each, every
animal of a pack in one network. The run id is a readable slug plus a hash of (paradigm,
lesion, parameters, seed, the seeds of its cohort, mode, code-generation target), so the same
command finds its finished runs again: re-running it on the same folder simulates only the
cohorts with a run missing (resume after a crash or Ctrl-C), stores only the missing runs and
never rewrites a finished one (a cohort re-simulated gives its finished runs' numbers again). A
failed run is reported (which run, what error) and simply missing from the folder; the others
are kept, and the next invocation retries it.

Runs go to Dask: by default a :class:`dask.distributed.LocalCluster` of worker processes
(one per core, one thread each); ``scheduler=ADDRESS`` uses an existing cluster (its workers
must see the study folder only through the client: results come back to the client, which
writes them); ``workers=0`` runs them one after another in this process (tests, debugging).

Brian2 in Dask workers: ``import brian2`` installs a SIGINT handler, which Python allows only
in the main thread, but Dask runs tasks in a worker thread. :class:`BrianWorkerSetup` (a
worker plugin, run in each worker's main thread, also in workers that join or restart later)
therefore imports Brian2 and sets its preferences before any task; and one lock per process
keeps two simulations from sharing Brian2's global state (random seed, preferences) when a
worker has more than one thread.

At the end the study folder holds ``study.csv`` and ``study.parquet`` (one tidy table of all
runs: the ``results.csv`` columns plus one column per swept parameter and ``run_id``),
``stats.csv`` (:mod:`circuits.stats`: each lesion against intact) and ``study.json`` (the
spec, versions, which runs finished or failed). A folder made for another spec is refused
unless ``force`` (which redefines it: runs the new spec shares are kept, the others deleted).
"""

import contextlib
import csv
import dataclasses
import hashlib
import itertools
import json
import logging
import math
import os
import re
import shutil
import signal
import socket
import sys
import threading
import time
import traceback
import types
from pathlib import Path

from circuits.cohorts import COHORT, cohorts
from circuits.results import alive, make_folder, set_aside
from regions.errors import VicariousError

STUDY_FILE = "study.json"
TABLE_CSV = "study.csv"
TABLE_PARQUET = "study.parquet"
STATS_CSV = "stats.csv"
RUNS = "runs"
DAMAGED = "damaged"  # runs found damaged on resume, kept aside
LOCK = "study.lock"
INTACT = "intact"
#: Base columns of the study table (those of results.csv); swept parameters and run_id follow.
BASE_COLUMNS = ("paradigm", "condition", "lesion", "seed", "mode", "phase", "session", "measure", "value")
CONNECT_TIMEOUT = "20s"  # how long to wait for a Dask scheduler to answer
_RUN_LOCK = threading.Lock()  # one simulation at a time per process (Brian2 state is global)


# -- the spec ---------------------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Job:
    """One run of a study: a lesion, a grid point and a seed, simulated in the cohort ``cohort`` (its seeds)."""

    paradigm: str
    mode: str
    codegen: str
    lesion: str  # label: "intact" or lesion specs joined by "+"
    point: tuple  # ((key, value text), ...) of the swept parameters
    fixed: tuple  # ((key, value text), ...) of the fixed overrides
    seed: int
    cohort: tuple = ()  # the seeds simulated together with this one (default: itself alone)

    @property
    def lesions(self):
        return () if self.lesion == INTACT else tuple(self.lesion.split("+"))

    @property
    def sets(self):
        return tuple(f"{key}={value}" for key, value in self.fixed + self.point)

    @property
    def run_id(self):
        """Readable slug plus a hash of everything that determines the run's numbers."""
        from regions.params import canonical

        identity = {"paradigm": self.paradigm, "lesion": self.lesion, "seed": self.seed, "mode": self.mode,
                    "codegen": self.codegen, "params": {k: canonical(v) for k, v in sorted(self.fixed + self.point)},
                    "cohort": list(self.seeds)}
        digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:12]
        return f"{slug(self.lesion)}-s{self.seed}-{digest}"

    @property
    def seeds(self):
        return self.cohort or (self.seed,)

    def task(self):
        """The plain arguments :func:`run_job` needs (what travels to a worker): the whole cohort."""
        return {"paradigm": self.paradigm, "mode": self.mode, "codegen": self.codegen, "lesions": self.lesions,
                "sets": self.sets, "seeds": list(self.seeds)}


@dataclasses.dataclass(frozen=True)
class StudySpec:
    """What a study runs; two invocations with equal specs are the same study."""

    paradigm: str
    mode: str = "rate"
    codegen: str = "numpy"
    lesions: tuple = (INTACT,)
    seeds: tuple = (0, 1, 2)
    fixed: tuple = ()  # ((key, value), ...)
    grid: tuple = ()  # ((key, (value, ...)), ...) in the order given
    cohort: int = COHORT  # seeds of a lesion and grid point simulated together

    @property
    def grid_keys(self):
        return tuple(key for key, _ in self.grid)

    def points(self):
        """Every grid point as ((key, value), ...), the first key varying slowest."""
        keys = self.grid_keys
        return [tuple(zip(keys, values)) for values in itertools.product(*(v for _, v in self.grid))]

    def jobs(self):
        """Every run, in order: lesion, then grid point, then seed."""
        return [Job(self.paradigm, self.mode, self.codegen, lesion, point, self.fixed, seed, pack)
                for lesion in self.lesions for point in self.points()
                for pack in cohorts(self.seeds, self.cohort) for seed in pack]

    def as_dict(self):
        return {"paradigm": self.paradigm, "mode": self.mode, "codegen": self.codegen, "lesions": list(self.lesions),
                "seeds": list(self.seeds), "fixed": dict(self.fixed),
                "grid": {key: list(values) for key, values in self.grid}, "cohort": self.cohort}


def same_study(old, new):
    """Whether two specs (``as_dict`` forms) are the same study: values compared, not their spelling."""
    from regions.params import canonical

    def identity(spec):
        return {**spec, "fixed": {k: canonical(v) for k, v in spec.get("fixed", {}).items()},
                "grid": {k: [canonical(v) for v in values] for k, values in spec.get("grid", {}).items()}}
    return identity(old) == identity(new)


def slug(text):
    """``text`` made file-name safe (as ``vicarious run`` names its default folders)."""
    return re.sub(r"[^\w.+-]", "-", text)


def split_values(text):
    """``"a,b\\,c"`` -> ``["a", "b,c"]``: commas separate grid values, ``\\,`` is a literal comma."""
    values, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append(char if char == "," else "\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ",":
            values.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    values.append("".join(current).strip() + ("\\" if escaped else ""))
    return values


def parse_lesion_list(text):
    """``"amygdala,vta:0.5,none"`` -> labels with ``intact`` first (``none``/``intact`` mean no lesion).

    ``A+B`` combines lesions in one run (applied in that order); its label stays ``A+B``.
    """
    labels = [INTACT]
    if not text or not text.strip():
        return tuple(labels)
    for item in text.split(","):
        parts = [part.strip() for part in item.split("+")]
        if not all(parts):
            raise VicariousError(f"--lesions {text!r}: empty lesion name; expected comma-separated lesions, "
                                 "combined with +, e.g. --lesions amygdala,vta:0.5,amygdala+vta")
        label = "+".join(parts)
        if label == "none":
            label = INTACT
        if label not in labels:
            labels.append(label)
    return tuple(labels)


def parse_set_grid(items):
    """``["KEY=V1,V2", "KEY2=V"]`` -> (fixed, grid): single values are fixed overrides, lists sweep."""
    from circuits.config import parse_sets

    fixed, grid, seen = [], [], set()
    for item in items or ():
        key, eq, text = item.partition("=")
        key = key.strip()
        values = split_values(text) if eq else []
        if not eq or any(not v for v in values):
            raise VicariousError(f"--set {item!r}: expected KEY=VALUE or KEY=V1,V2,... with KEY like "
                                 "'paradigm.trials' and no empty value (e.g. --set paradigm.trials=2,4)")
        for value in values:
            parse_sets([f"{key}={value}"])  # the same KEY=VALUE checks as 'vicarious run'
        if key in seen:
            raise VicariousError(f"--set {key} is given twice; list its values once: --set {key}=V1,V2")
        seen.add(key)
        if len(set(values)) < len(values):
            raise VicariousError(f"--set {item!r} lists a value twice")
        if len(values) == 1:
            fixed.append((key, values[0]))
        else:
            grid.append((key, tuple(values)))
    return tuple(fixed), tuple(grid)


def make_spec(paradigm, lesions="", seeds=None, sets=(), mode="rate", codegen=None, cohort=None):
    """Parse and validate a study (every lesion x grid point resolves) and return its :class:`StudySpec`
    (``seeds`` None: the paradigm's default per condition; ``codegen`` None:
    :func:`~circuits.simulation.default_codegen`)."""
    from circuits.config import resolve
    from circuits.simulation import default_codegen

    codegen = default_codegen() if codegen is None else codegen
    fixed, grid = parse_set_grid(sets)
    labels = parse_lesion_list(lesions)
    # paradigm, mode, target, seeds and the fixed values first, so their errors come before the grid's
    cohort = COHORT if cohort is None else cohort
    seeds = resolve(paradigm, mode=mode, seeds=seeds, codegen=codegen, sets=[f"{k}={v}" for k, v in fixed],
                    cohort=cohort).seeds
    spec = StudySpec(paradigm, mode, codegen, labels, seeds, fixed, grid, cohort)
    for point in spec.points():
        for label in labels:
            job = Job(paradigm, mode, codegen, label, point, fixed, 0)
            resolve(paradigm, mode=mode, seeds=1, lesions=job.lesions, sets=job.sets, codegen=codegen)
    return spec


def job_config(job):
    """The resolved :class:`~circuits.config.RunConfig` of one run (one seed)."""
    from circuits.config import resolve

    return resolve(job.paradigm, mode=job.mode, seeds=1, lesions=job.lesions, sets=job.sets, codegen=job.codegen,
                   first_seed=job.seed)


# -- running one job (in a worker or in this process) -----------------------------------------------------------
try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover - dask is a dependency
    WorkerPlugin = object


class BrianWorkerSetup(WorkerPlugin):
    """Dask worker plugin: Brian2 set up in the worker's main thread before any task runs.

    ``local``: the workers belong to this study's LocalCluster, so they ignore Ctrl-C (the
    terminal sends it to them too) and leave stopping to the client, which closes the cluster.
    """

    name = "vicarious-brian2"

    def __init__(self, local=False):
        self.local = local

    def setup(self, worker):
        from circuits.simulation import setup_brian2

        setup_brian2()
        if self.local:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_job(task):
    """Simulate one cohort (``Job.task()``); return ``{"ok", "rows", "started", "ended", "seconds"}`` or the error.

    Errors come back as values (message and traceback), not exceptions, so a worker never has
    to pickle a Brian2 exception and one failed run never stops the others.
    """
    from circuits.config import resolve
    from circuits.results import utc_now
    from circuits.runner import simulate
    from circuits.simulation import setup_brian2

    started, clock = utc_now(), time.perf_counter()
    try:
        if threading.current_thread() is threading.main_thread():
            setup_brian2()
        elif "brian2" not in sys.modules:
            raise VicariousError("Brian2 was not set up in this worker's main thread (register "
                                 "circuits.study.BrianWorkerSetup as a worker plugin)")
        with _RUN_LOCK:
            seeds = tuple(task["seeds"])
            config = resolve(task["paradigm"], mode=task["mode"], seeds=len(seeds), lesions=task["lesions"],
                             sets=task["sets"], codegen=task["codegen"], first_seed=seeds[0], cohort=len(seeds))
            if config.seeds != seeds:
                raise VicariousError(f"a cohort's seeds must be consecutive; got {list(seeds)}")
            rows = simulate(config, progress=False)
    except Exception as err:  # noqa: BLE001 - every failure is reported per run
        message = str(err) if isinstance(err, VicariousError) else f"{type(err).__name__}: {err}"
        return {"ok": False, "error": message, "traceback": traceback.format_exc(),
                "host": socket.gethostname(), "pid": os.getpid()}
    return {"ok": True, "rows": rows, "started": started, "ended": utc_now(),
            "seconds": time.perf_counter() - clock, "host": socket.gethostname(), "pid": os.getpid()}


def in_process(jobs):
    """Run the cohorts of ``jobs`` one after another here; yields ``(job, outcome)`` per job."""
    for pack in _packs(jobs):
        yield from _split(pack, run_job(pack[0].task()))


def _warming(jobs):
    """``(first, rest)``: one cohort per lesion (a circuit structure) to run here first, so that Cython
    compiles each structure once before the workers fan out (workers compiling the same code at once
    on a cold cache have crashed), and the rest."""
    first, seen = [], set()
    for pack in _packs(jobs):
        if pack[0].lesion not in seen:
            seen.add(pack[0].lesion)
            first += pack
    return first, [job for job in jobs if job not in first]


def _lazy(make):
    """An iterator that calls ``make()`` only when first asked for an item."""
    yield from make()


def _packs(jobs):
    """``jobs`` grouped by the cohort they are simulated in (order kept)."""
    packs = {}
    for job in jobs:
        packs.setdefault((job.lesion, job.point, job.seeds), []).append(job)
    return list(packs.values())


def _split(pack, outcome):
    """``(job, outcome)`` for each job of a cohort: its own rows, or the cohort's error."""
    for job in pack:
        if outcome["ok"]:
            yield job, {**outcome, "rows": [r for r in outcome["rows"] if r["seed"] == job.seed]}
        else:
            yield job, outcome


@contextlib.contextmanager
def dask_client(workers=None, scheduler=None):
    """A Dask client: on a new LocalCluster (``workers`` processes, default all cores) or ``scheduler``."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as err:
            raise VicariousError(f"cannot connect to the Dask scheduler at {scheduler!r}: {err}") from None
    else:
        cluster = LocalCluster(n_workers=workers or available_cores(), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        client.register_plugin(BrianWorkerSetup(local=cluster is not None), name=BrianWorkerSetup.name)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def on_dask(client, jobs):
    """Run ``jobs`` on the Dask ``client``; yields ``(job, outcome)`` as each finishes."""
    from dask.distributed import as_completed

    futures = {client.submit(run_job, pack[0].task(), pure=False): pack for pack in _packs(jobs)}
    try:
        for future in as_completed(futures):
            pack = futures[future]
            try:
                outcome = future.result()
            except Exception as err:  # noqa: BLE001 - e.g. KilledWorker: the worker died running it
                outcome = {"ok": False, "error": f"{type(err).__name__}: {err}", "traceback": traceback.format_exc()}
            future.release()
            yield from _split(pack, outcome)
    finally:
        client.cancel([f for f in futures if not f.done()])


def available_cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# -- the study folder -------------------------------------------------------------------------------------------
def is_study(path):
    return (Path(path) / STUDY_FILE).is_file()


def read_study(path):
    """``study.json`` of a study folder as a dict (clear error when it is not one)."""
    file = Path(path) / STUDY_FILE
    if not file.is_file():
        raise VicariousError(f"{str(path)!r} is not a study folder (no {STUDY_FILE}); make one with "
                             "'vicarious study PARADIGM'")
    try:
        record = json.loads(file.read_text())
    except (OSError, ValueError) as err:
        raise VicariousError(f"{str(file)!r} is not readable JSON: {err}") from None
    if not isinstance(record, dict) or not isinstance(record.get("spec"), dict):
        raise VicariousError(f"{str(file)!r} is damaged (no study spec in it)")
    return record


def spec_from_dict(data):
    try:
        return _spec_from_dict(data)
    except (KeyError, TypeError, AttributeError, ValueError) as err:
        raise VicariousError(f"the study spec in {STUDY_FILE} is damaged ({type(err).__name__}: {err})") from None


def _spec_from_dict(data):
    return StudySpec(data["paradigm"], data["mode"], data["codegen"], tuple(data["lesions"]), tuple(data["seeds"]),
                     tuple(data["fixed"].items()), tuple((k, tuple(v)) for k, v in data["grid"].items()),
                     data.get("cohort", 1))


def _write_json(path, data):
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(data, indent=2, default=str) + "\n")
    os.replace(tmp, path)


@contextlib.contextmanager
def _locked(out):
    """Hold ``out/study.lock`` (refusing a live holder) for the block."""
    make_folder(out)
    lock = out / LOCK
    me = f"{socket.gethostname()} {os.getpid()}"
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            host, _, pid = lock.read_text().strip().partition(" ") if lock.is_file() else ("", "", "")
            if host == socket.gethostname() and pid.isdigit() and alive(int(pid)):
                raise VicariousError(f"another 'vicarious study' (pid {pid}) is writing {str(out)!r}; wait for it "
                                     f"or stop it first (if none is running, delete {str(lock)!r})") from None
            lock.unlink(missing_ok=True)  # left by a process that was killed
            continue
        with os.fdopen(fd, "w") as handle:
            handle.write(me + "\n")
        break
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _differences(old, new):
    names = {"paradigm": "paradigm", "mode": "mode", "codegen": "code-generation target", "lesions": "lesions",
             "seeds": "seeds", "fixed": "fixed --set values", "grid": "--set grid"}
    return [f"{names.get(k, k)} {old.get(k)!r} there, {new.get(k)!r} now" for k in names if old.get(k) != new.get(k)]


def prepare(out, spec, force=False):
    """Check ``out`` against ``spec`` (refuse another study unless ``force``), tidy leftovers and check every
    finished run against the record of its files. Returns ``(done, damaged, note)``: the intact finished
    run ids, ``(run id, what is wrong)`` for each damaged run (moved to ``DAMAGED/``, to be simulated
    again), and a note when ``study.json`` was lost."""
    from circuits.results import damage, mark

    runs, note = out / RUNS, None
    try:
        old = read_study(out).get("spec") if is_study(out) else None
    except VicariousError as err:
        old, note = None, f"{err}; it is written again"
    if old is not None and not same_study(old, spec.as_dict()) and not force:
        raise VicariousError(
            f"{str(out)!r} holds a different study ({'; '.join(_differences(old, spec.as_dict()))}); "
            "use --force to redefine it (finished runs it shares with this one are kept, the others "
            "deleted) or --out to choose another folder")
    if old is None and runs.is_dir() and note is None:
        note = (f"{STUDY_FILE} was missing; the finished runs in {str(runs)!r} that belong to this study "
                "are kept")
    runs.mkdir(parents=True, exist_ok=True)
    mark(out, "study")
    wanted = {job.run_id for job in spec.jobs()}
    done, damaged = set(), []
    for path in sorted(runs.iterdir()):
        if re.search(r"\.(tmp|old)-\d+$", path.name):  # half-written by a process that was killed
            shutil.rmtree(path, ignore_errors=True)
        elif path.name in wanted and path.is_dir():
            problem = damage(path)
            if problem is None:
                done.add(path.name)
                continue
            damaged.append((path.name, problem))
            set_aside(path, out / DAMAGED / path.name)
        elif force:  # not part of the redefined study
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink()
    return done, damaged, note


def study_record(spec, done, failures, started, complete, effects=None):
    """The contents of ``study.json``."""
    from circuits.results import provenance, utc_now

    versions = provenance(types.SimpleNamespace(mode=spec.mode, seeds=spec.seeds, codegen=spec.codegen, cohort=spec.cohort),
                          started, utc_now())
    for module in ("dask", "distributed", "pyarrow"):
        versions[module] = _version(module)
    jobs = spec.jobs()
    return {"spec": spec.as_dict(), "mode": spec.mode, "complete": complete,
            "runs": {"total": len(jobs), "finished": sum(j.run_id in done for j in jobs), "failed": failures},
            "swept": list(spec.grid_keys), "effects": [list(e) for e in effects or ()],
            "files": {"table": [TABLE_CSV, TABLE_PARQUET], "stats": STATS_CSV, "runs": f"{RUNS}/<run-id>/"},
            "provenance": versions}


def _version(module):
    try:
        return __import__(module).__version__
    except ImportError:
        return None


def store(out, job, outcome):
    """Write one finished run into ``out/runs/<run-id>/`` atomically (the files of 'vicarious run')."""
    from circuits.results import atomic_folder, write_result

    with atomic_folder(out / RUNS / job.run_id) as folder:
        write_result(folder, outcome["rows"], job_config(job), outcome["started"], outcome["ended"],
                     cohort=list(job.seeds))


@dataclasses.dataclass
class StudyResult:
    out: Path
    total: int
    reused: int
    new: int
    failures: list
    stats: list
    damaged: list = dataclasses.field(default_factory=list)  # (run id, what was wrong): simulated again
    note: str = None  # e.g. study.json was lost


def run_study(spec, out, *, force=False, workers=None, scheduler=None, effects=None, progress=True,
              on_run=None, n_boot=2000):
    """Run every missing run of ``spec`` into the study folder ``out``; write the table, stats and study.json.

    ``workers``: None (all cores) or N starts a LocalCluster of N processes; 0 runs in this
    process. ``scheduler``: address of an existing Dask scheduler, connected to before the folder is
    made. ``on_run(job)`` is called after each run is stored (tests use it to stop a study midway).
    ``effects``: (phase, measure[, condition]) tuples for the statistics, default the paradigm's
    ``effects``. Returns a :class:`StudyResult`; failed runs are listed in it (and in study.json), not
    raised; runs found damaged are set aside, listed in it and simulated again.
    """
    from tqdm import tqdm

    from circuits.results import check_out, utc_now
    from circuits.stats import resolve_effects

    effects = resolve_effects(spec.paradigm, effects)
    out = Path(out)
    check_out(out, "study", force=True)  # a study folder is resumed; anything else is never touched
    started = utc_now()
    jobs = spec.jobs()
    with contextlib.ExitStack() as stack:
        client = stack.enter_context(dask_client(workers, scheduler)) if scheduler else None
        with _locked(out):
            done, damaged, note = prepare(out, spec, force)
            reused = len(done)
            failures = []
            _write_json(out / STUDY_FILE, study_record(spec, done, failures, started, False, effects))
            todo = [job for job in jobs if job.run_id not in done]
            show = progress and sys.stderr.isatty()
            with tqdm(total=len(jobs), initial=len(jobs) - len(todo), desc=f"{spec.paradigm} study", unit="run",
                      disable=not show) as bar:
                for job, outcome in _outcomes(todo, spec, workers, client, stack):
                    if outcome["ok"]:
                        store(out, job, outcome)
                        done.add(job.run_id)
                        if on_run is not None:
                            on_run(job)
                    else:
                        failures.append({"run_id": job.run_id, "lesion": job.lesion, "seed": job.seed,
                                         "params": dict(job.point), "error": outcome["error"],
                                         "traceback": outcome.get("traceback", "")})
                        bar.set_postfix(failed=len(failures))
                    bar.update()
            stats = write_tables(out, spec, effects, n_boot=n_boot)
            _write_json(out / STUDY_FILE, study_record(spec, done, failures, started, not failures, effects))
    if done:
        check_effects(collect(out, spec), effects)
    return StudyResult(out, len(jobs), reused, len(done) - reused, failures, stats, damaged, note)


def _outcomes(todo, spec, workers, client, stack):
    """``(job, outcome)`` of every job in ``todo``: here (``workers=0``), on ``client``, or on a LocalCluster
    started (in ``stack``) only when a job needs it; on cython one cohort per structure runs here first."""
    if not todo:
        return iter(())
    if workers == 0 and client is None:
        return in_process(todo)
    first, rest = _warming(todo) if spec.codegen == "cython" else ([], todo)

    def remote():
        if not rest:
            return iter(())
        return on_dask(client if client is not None else stack.enter_context(dask_client(workers)), rest)
    return itertools.chain(in_process(first), _lazy(remote))


# -- the tidy table ---------------------------------------------------------------------------------------------
def table_columns(spec):
    return BASE_COLUMNS + spec.grid_keys + ("run_id",)


def collect(out, spec):
    """Rows of every finished run of ``spec`` (spec order), with the swept values and run id added."""
    from circuits.results import load_rows

    rows = []
    for job in spec.jobs():
        folder = Path(out) / RUNS / job.run_id
        if not folder.is_dir():
            continue
        point = dict(job.point)
        for row in load_rows(folder):
            rows.append({**{c: row[c] for c in BASE_COLUMNS}, **point, "run_id": job.run_id})
    return rows


def check_effects(rows, effects):
    """Raise unless every effect (phase, measure, condition) matches rows of the table, naming what exists."""
    for phase, measure, condition in effects:
        found = {(r["phase"], r["condition"]) for r in rows if r["measure"] == measure}
        if not any(p == phase and condition in (None, c) for p, c in found):
            effect = "/".join(x for x in (phase, measure, condition) if x)
            have = ", ".join(sorted(f"{p}/{measure}/{c}" for p, c in found)) or "none"
            raise VicariousError(f"--effects {effect}: no run has rows for it, so stats.csv cannot compare it; "
                                 f"what the runs measured of {measure}: {have} (the runs are kept: run the same "
                                 "command with other --effects to compare them)")


def swept_types(spec):
    """Swept key -> int or float when all its values read as such plain numbers, else str (units stay text)."""
    types_ = {}
    for key, values in spec.grid:
        if all(re.fullmatch(r"[-+]?\d+", v) for v in values):
            types_[key] = int
        elif all(re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", v) for v in values):
            types_[key] = float
        else:
            types_[key] = str
    return types_


def write_tables(out, spec, effects, n_boot=2000):
    """Write study.csv, study.parquet and stats.csv from the finished runs; return the stats rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from circuits.stats import compare, write_stats

    out = Path(out)
    rows = collect(out, spec)
    kinds = swept_types(spec)
    for row in rows:
        for key, kind in kinds.items():
            row[key] = kind(row[key])
    columns = table_columns(spec)
    tmp = out / f".{TABLE_CSV}.tmp-{os.getpid()}"
    with open(tmp, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([row[c] for c in columns] for row in rows)
    os.replace(tmp, out / TABLE_CSV)
    types_ = {"seed": pa.int64(), "session": pa.int64(), "value": pa.float64()}
    types_.update({key: {int: pa.int64(), float: pa.float64()}.get(kind, pa.string()) for key, kind in kinds.items()})
    table = pa.table({c: pa.array([row[c] for row in rows], type=types_.get(c, pa.string())) for c in columns})
    tmp = out / f".{TABLE_PARQUET}.tmp-{os.getpid()}"
    pq.write_table(table, tmp)
    os.replace(tmp, out / TABLE_PARQUET)
    stats = compare(rows, effects, spec.grid_keys, n_boot=n_boot)
    write_stats(out / STATS_CSV, stats, spec.grid_keys)
    return stats


def load_table(study_dir):
    """The study table as a list of dicts (from study.parquet)."""
    import pyarrow.parquet as pq

    path = Path(study_dir) / TABLE_PARQUET
    if not path.is_file():
        raise VicariousError(f"{str(path)!r} is missing: the study has not finished; run its command again")
    try:
        return pq.read_table(path).to_pylist()
    except (OSError, ValueError) as err:  # pyarrow's errors (ArrowInvalid) are ValueErrors
        raise VicariousError(f"{str(path)!r} is damaged ({err}); run the study's command again to write it "
                             "anew from its runs") from None


def summary(stats, swept=(), limit=30):
    """Text table of the comparisons: effect, lesion, grid point, g [CI], p (Holm)."""
    if not stats:
        return "(no lesion comparisons: the study has only the intact circuit or no effect measures)"
    lines = []
    for row in stats:
        effect = "/".join(str(row[k]) for k in ("phase", "measure", "condition"))
        point = ", ".join(f"{k}={row[k]}" for k in swept)
        g = row["hedges_g"]
        text = f"g = {g:+.2f} [{row['g_ci_low']:+.2f}, {row['g_ci_high']:+.2f}]" if math.isfinite(g) else \
            (row["note"] or "g undefined")
        lines.append((effect, row["lesion"] + (f" ({point})" if point else ""), text,
                      f"n = {row['n_lesion']}/{row['n_intact']}", f"p_holm = {row['p_holm']:.3g}"))
    header = ("effect", "lesion vs intact", "Hedges' g [95% bootstrap CI]", "n", "Mann-Whitney")
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    text = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in [header, *lines]]
    if len(text) > limit:
        text = text[:limit] + [f"... {len(text) - limit} more in {STATS_CSV}"]
    return "\n".join(text)
