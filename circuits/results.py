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
import glob
import hashlib
import json
import math
import os
import platform
import re
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


MARKER = ".vicarious"  # in every result folder: its kind and, for a run, a record of its files
KINDS = {"run": "a result folder of 'vicarious run'", "study": "a study folder of 'vicarious study'",
         "reproduce": "a reproduction folder of 'vicarious reproduce'"}
#: What a run folder written before result folders were marked holds (it may be replaced too).
_UNMARKED_RUN = {"results.csv", "traces.csv", "config.json", "provenance.json", "figures"}
_STALE = r"\.(tmp|old)-(\d+)$"  # OUT.tmp-PID (being written), OUT.old-PID (being replaced)


def kind_of(path):
    """The kind (a key of :data:`KINDS`) of a marked result folder, or of one written before folders were
    marked (a run folder holding nothing but a run's files; a study folder with its ``study.json``); else None."""
    path = Path(path)
    try:
        record = json.loads((path / MARKER).read_text())
        return record.get("kind") if record.get("kind") in KINDS else None
    except (OSError, ValueError, AttributeError):
        pass
    try:
        names = {p.name for p in path.iterdir()}
    except OSError:
        return None
    if "study.json" in names or names == {"study.lock"}:  # a study's record, or a study stopped as it began
        return "study"
    return "run" if "results.csv" in names and "config.json" in names and names <= _UNMARKED_RUN else None


def mark(folder, kind, files=()):
    """Write ``folder``'s marker: its ``kind`` and, for each of ``files``, its size, lines and SHA-256."""
    folder = Path(folder)
    _write_json(folder / MARKER, {"kind": kind, "files": {name: _fingerprint(folder / name) for name in files}})


def _fingerprint(path):
    data = path.read_bytes()
    return {"bytes": len(data), "lines": data.count(b"\n"), "sha256": hashlib.sha256(data).hexdigest()}


def damage(folder):
    """What is wrong with the run folder ``folder`` against its marker (None: every recorded file intact)."""
    folder = Path(folder)
    try:
        record = json.loads((folder / MARKER).read_text())
        files = record["files"]
        if record.get("kind") != "run" or not files:
            raise ValueError
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return f"no readable record of its files ({MARKER})"
    for name, recorded in files.items():
        path = folder / name
        try:
            found = _fingerprint(path)
        except OSError:
            return f"{name} is missing or unreadable"
        if found != recorded:
            if found["lines"] != recorded["lines"]:
                return f"{name} has {_lines(found['lines'])} where {_lines(recorded['lines'])} were written"
            return f"{name} was altered (its checksum differs from the one recorded)"
    return None


def _lines(n):
    return f"{n} line" + ("" if n == 1 else "s")


def check_out(out_dir, kind="run", force=False):
    """Raise unless ``out_dir`` may become a ``kind`` folder: absent, empty, or a ``kind`` folder and ``force``.

    Nothing but a folder of the same kind is ever replaced, and never the current folder, one above
    it, the home folder or the root."""
    text = str(out_dir)
    if not text.strip():
        raise VicariousError("--out is empty; give a folder name, e.g. --out results/my-run")
    out = Path(out_dir)
    where = out.resolve()
    cwd, home = Path.cwd().resolve(), Path.home().resolve()
    if where == cwd or where in cwd.parents or where == home or where in home.parents:
        raise VicariousError(f"--out {text!r} is the current folder, a folder above it, the home folder or the root; "
                             f"a result needs a folder of its own, e.g. --out {text.rstrip('/') or '.'}/my-run")
    if not out.exists():
        return
    if not out.is_dir():
        raise VicariousError(f"--out {text!r} exists and is not a folder; choose another --out")
    found = kind_of(out)
    if found is None and any(out.iterdir()):
        raise VicariousError(f"--out {text!r} exists and is not {KINDS[kind]}: nothing in it is replaced; choose "
                             "another --out (or an empty or new folder)")
    if found is not None and found != kind:
        raise VicariousError(f"--out {text!r} is {KINDS[found]}, not {KINDS[kind]}; it is never replaced by one: "
                             "choose another --out")
    if found == kind and not force:
        raise VicariousError(f"output folder {text!r} already holds a result; use --force to replace it "
                             "or --out to choose another folder")


@contextlib.contextmanager
def atomic_folder(out_dir, force=False, kind="run"):
    """Yield a temporary sibling folder that becomes ``out_dir`` when the block succeeds.

    ``out_dir`` is checked first (:func:`check_out`) and the temporary folder made before the
    block runs, so a folder that cannot be written is refused before anything is simulated. On
    any exception (including KeyboardInterrupt) the temporary folder and the parent folders made
    for it are removed and an existing ``out_dir`` is left as it was.
    """
    out = Path(out_dir)
    tidy_stale(out)
    check_out(out, kind, force)
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    made = make_parents(tmp)
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
    except OSError as err:
        remove_empty(made)
        raise _unwritable(out, err) from None
    try:
        yield tmp
        check_out(out, kind, force)
        _swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        remove_empty(made)
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


def make_parents(path):
    """Make the missing parent folders of ``path``; return them, deepest first (for :func:`remove_empty`)."""
    path = Path(path)
    made = [p for p in path.parents if not p.exists()]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        remove_empty(made)
        raise _unwritable(path, err) from None
    return made


def _unwritable(out, err):
    where = f" ({err.filename})" if err.filename and str(err.filename) != str(out) else ""
    return VicariousError(f"cannot write the output folder {str(out)!r}: {err.strerror or err}{where}")


def make_folder(path):
    """Make the folder ``path`` and its missing parents, or refuse with one line (removing the parents made)."""
    path = Path(path)
    made = make_parents(path)
    try:
        path.mkdir(exist_ok=True)
    except OSError as err:
        remove_empty(made)
        raise _unwritable(path, err) from None


def set_aside(folder, aside):
    """Move ``folder`` to ``aside`` (replacing an older copy there): a damaged result is kept, not deleted."""
    aside = Path(aside)
    shutil.rmtree(aside, ignore_errors=True)
    aside.parent.mkdir(parents=True, exist_ok=True)
    os.replace(folder, aside)


def remove_empty(folders):
    """Remove ``folders`` (deepest first) where empty: the parents made for a folder that failed."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def tidy_stale(out):
    """Remove ``OUT.tmp-PID`` and ``OUT.old-PID`` left beside ``out`` by processes that died; an ``.old``
    folder whose replacement never arrived (no ``out``) is put back as ``out``."""
    out = Path(out)
    if not out.name or out.name in (".", ".."):
        return
    try:
        for path in out.parent.glob(f"{glob.escape(out.name)}.*-*"):
            match = re.fullmatch(re.escape(out.name) + _STALE, path.name)
            if not match or alive(int(match.group(2))):
                continue
            if match.group(1) == "old" and not out.exists():
                os.replace(path, out)
            else:
                shutil.rmtree(path, ignore_errors=True)
    except OSError:
        pass  # an unreadable parent: check_out and the folder's creation report it


def alive(pid):
    """Whether process ``pid`` runs on this machine (this process counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


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
    mark(folder, "run", ["results.csv", *(["traces.csv"] if traces else []), "config.json", "provenance.json"])


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
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            return _read_rows(path, csv.reader(handle), columns)
    except (UnicodeDecodeError, csv.Error) as err:
        raise VicariousError(f"{str(path)!r} is not a readable CSV table ({err}); it is damaged: "
                             "make it again with 'vicarious run'") from None
    except OSError as err:
        raise VicariousError(f"cannot read {str(path)!r}: {err.strerror or err}") from None


def _read_rows(path, reader, columns):
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
        except (ValueError, OverflowError) as err:
            raise VicariousError(f"{str(path)!r} line {line_no} is malformed: {err}") from None
        rows.append(row)
    return rows


def last_sessions(rows):
    """Each (condition, phase, measure) at the phase's last session: ``{condition, phase, session, measure,
    values}`` with the finite values across seeds, in the order the rows first name them (traces left out)."""
    groups = {}
    for row in rows:
        if "time" not in row:
            groups.setdefault((row["condition"], row["phase"], row["measure"]), []).append(row)
    out = []
    for (condition, phase, measure), members in groups.items():
        last = max(r["session"] for r in members)
        values = [float(r["value"]) for r in members if r["session"] == last and math.isfinite(float(r["value"]))]
        out.append({"condition": condition, "phase": phase, "session": last, "measure": measure, "values": values})
    return out


def summary_table(rows):
    """Mean ± SD across seeds of each (condition, phase, measure) at the phase's last session."""
    rows = [r for r in rows if "time" not in r]
    if not rows:
        return "(no results)"
    table = []
    for group in last_sessions(rows):
        values, fields = group["values"], (group["condition"], group["phase"], str(group["session"]), group["measure"])
        if not values:
            table.append((*fields, "nan", "0"))
            continue
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        table.append((*fields, f"{statistics.fmean(values):.4g} ± {sd:.3g}", str(len(values))))
    header = ("condition", "phase", "session", "measure", "mean ± SD", "seeds")
    widths = [max(len(line[i]) for line in [header, *table]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in [header, *table]]
    first = rows[0]
    title = f"{first['paradigm']} ({first['lesion']}, {first['mode']}): last session of each phase"
    if len(lines) > SUMMARY_MAX_LINES:
        hidden = len(lines) - SUMMARY_MAX_LINES
        lines = lines[:SUMMARY_MAX_LINES] + [f"... {hidden} more rows in results.csv"]
    return "\n".join([title, *lines])
