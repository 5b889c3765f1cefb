"""Result folders: written atomically, read back, summarised.

A result folder holds ``results.csv`` (one row per condition, phase, session, measure
and seed), ``traces.csv`` (time series, when the paradigm records any), ``config.json``
(the resolved run configuration) and ``provenance.json`` (versions, git revision,
command line, times). It is written into a temporary sibling folder and renamed into
place only when complete, so a failed or interrupted run leaves nothing half-written.
"""

import contextlib
import csv
import datetime
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from circuits.cohorts import cohorts
from regions.errors import VicariousError

RESULT_COLUMNS = ("paradigm", "condition", "lesion", "seed", "mode", "phase", "session", "measure", "value")
TRACE_COLUMNS = ("paradigm", "condition", "lesion", "seed", "phase", "session", "measure", "time", "value")
_INTS = ("seed", "session")
_FLOATS = ("value", "time")
SUMMARY_MAX_LINES = 40


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def check_free(out_dir, force=False):
    """Raise unless ``out_dir`` may be written (absent, or a folder and ``force``)."""
    out = Path(out_dir)
    if out.exists() and not force:
        raise VicariousError(f"output folder {str(out)!r} already exists; use --force to replace it "
                             "or --out to choose another folder")
    if out.exists() and not out.is_dir():
        raise VicariousError(f"output path {str(out)!r} exists and is not a folder")


@contextlib.contextmanager
def atomic_folder(out_dir, force=False):
    """Yield a temporary sibling folder that becomes ``out_dir`` when the block succeeds.

    On any exception (including KeyboardInterrupt) the temporary folder is removed and an
    existing ``out_dir`` is left as it was.
    """
    out = Path(out_dir)
    check_free(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        yield tmp
        check_free(out, force)
        _swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap_in(tmp, out):
    """Rename ``tmp`` to ``out``; an old ``out`` goes only once the new one is in place."""
    if not out.exists():
        os.replace(tmp, out)
        return
    old = out.with_name(f"{out.name}.old-{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    os.replace(out, old)
    try:
        os.replace(tmp, out)
    except BaseException:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def write_result(folder, rows, config, started, ended=None, cohort=None):
    """Write the CSV files, ``config.json`` and ``provenance.json`` into ``folder``.

    ``cohort``: the seeds the run's animals were simulated with, when not its own seeds
    (one run of a study's cohort); provenance records the cohorts either way.
    """
    folder = Path(folder)
    traces = [r for r in rows if "time" in r]
    _write_csv(folder / "results.csv", RESULT_COLUMNS, [r for r in rows if "time" not in r])
    if traces:
        _write_csv(folder / "traces.csv", TRACE_COLUMNS, traces)
    _write_json(folder / "config.json", config.as_dict())
    _write_json(folder / "provenance.json", provenance(config, started, ended or utc_now(), cohort))


def _write_csv(path, columns, rows):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([row[c] for c in columns] for row in rows)


def _write_json(path, data):
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")


def provenance(config, started, ended, cohort=None):
    """Versions, source revision, command line and times of a run, and the cohorts its seeds ran in
    (a seed's noise depends on its cohort; :mod:`circuits.arena`)."""
    import brian2
    import networkx
    import numpy
    import scipy

    from circuits import __version__

    revision, dirty = git_state()
    return {"vicarious": __version__, "git_revision": revision, "git_dirty": dirty,
            "brian2": brian2.__version__, "numpy": numpy.__version__, "scipy": scipy.__version__,
            "networkx": networkx.__version__, "python": platform.python_version(),
            "platform": platform.platform(), "mode": config.mode, "seeds": list(config.seeds),
            "codegen": config.codegen, "command": list(sys.argv), "started": started, "ended": ended,
            "cohorts": [list(cohort)] if cohort else _cohorts(config)}


def _cohorts(config):
    return [list(c) for c in cohorts(config.seeds, config.cohort)]


def git_state():
    """``(revision, dirty)`` of the source tree, or ``("unknown", None)`` outside git."""
    source = Path(__file__).resolve().parent
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=source, capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=source,
                                capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown", None
    return head, bool(status.strip())


def check_result_dir(result_dir):
    """Raise a clear error unless ``result_dir`` is a result folder."""
    path = Path(result_dir)
    if not path.is_dir():
        raise VicariousError(f"no result folder at {str(path)!r}; make one with 'vicarious run PARADIGM'")
    if not (path / "results.csv").is_file():
        raise VicariousError(f"{str(path)!r} is not a result folder (no results.csv); "
                             "make one with 'vicarious run PARADIGM'")
    return path


def load_rows(result_dir, traces=False):
    """Rows of ``results.csv`` (or ``traces.csv``) as dicts, numbers converted.

    ``seed`` and ``session`` become ints, ``value`` and ``time`` floats (empty or "nan":
    NaN). A missing column or a malformed line is a clear error naming the file and line.
    """
    path = check_result_dir(result_dir) / ("traces.csv" if traces else "results.csv")
    if traces and not path.is_file():
        return []
    columns = TRACE_COLUMNS if traces else RESULT_COLUMNS
    with open(path, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None) or []
        absent = [c for c in columns if c not in header]
        if absent:
            raise VicariousError(f"{str(path)!r} lacks the column(s) {', '.join(absent)}; "
                                 f"expected: {', '.join(columns)}")
        rows = []
        for line_no, fields in enumerate(reader, start=2):
            if not fields:
                continue
            try:
                row = dict(zip(header, fields, strict=True))
                for key in _INTS:
                    if key in row:
                        row[key] = int(float(row[key]))
                for key in _FLOATS:
                    if key in row:
                        row[key] = float(row[key]) if row[key] not in ("", "nan", "NaN") else math.nan
            except ValueError as err:
                raise VicariousError(f"{str(path)!r} line {line_no} is malformed: {err}") from None
            rows.append(row)
    return rows


def summary_table(rows):
    """Mean ± SD across seeds of each (condition, phase, measure) at the phase's last session."""
    rows = [r for r in rows if "time" not in r]
    if not rows:
        return "(no results)"
    groups = {}
    for row in rows:
        groups.setdefault((row["condition"], row["phase"], row["measure"]), []).append(row)
    table = []
    for (condition, phase, measure), members in groups.items():
        last = max(r["session"] for r in members)
        values = [float(r["value"]) for r in members if r["session"] == last and math.isfinite(float(r["value"]))]
        if not values:
            table.append((condition, phase, str(last), measure, "nan", "0"))
            continue
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        table.append((condition, phase, str(last), measure, f"{statistics.fmean(values):.4g} ± {sd:.3g}",
                      str(len(values))))
    header = ("condition", "phase", "session", "measure", "mean ± SD", "seeds")
    widths = [max(len(line[i]) for line in [header, *table]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in [header, *table]]
    first = rows[0]
    title = f"{first['paradigm']} ({first['lesion']}, {first['mode']}): last session of each phase"
    if len(lines) > SUMMARY_MAX_LINES:
        hidden = len(lines) - SUMMARY_MAX_LINES
        lines = lines[:SUMMARY_MAX_LINES] + [f"... {hidden} more rows in results.csv"]
    return "\n".join([title, *lines])
