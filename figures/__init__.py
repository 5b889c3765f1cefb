"""Paper-style figures made from a result folder (never by re-simulating).

:func:`make_figures` reads ``results.csv`` (and ``traces.csv`` when present) of a result
folder with the :mod:`csv` module, looks up the paradigm named in the rows and calls the
figure function registered for it in :data:`FIGURES`. Each figure function takes
``(rows, traces, out_dir)`` (and, when it declares it, ``config=``: the run's
``config.json`` as a dict) and returns the paths it wrote. Figures go to
``DIR/figures/`` as PNG (200 dpi) and PDF, drawn on the non-interactive Agg canvas.

To add a paradigm's figure, write ``figures/<paradigm>.py`` with such a function and
register it below. :func:`figures.circuit.draw_circuit` draws the circuit graph itself.
"""

import csv
import inspect
import json
import math
import pathlib

from figures import cue_conditioning, fear_conditioning, mirror_emergence
from regions.errors import VicariousError

#: paradigm name -> figure function ``(rows, traces, out_dir[, config=]) -> list[Path]``
FIGURES = {
    "cue-conditioning": cue_conditioning.figures,
    "fear-conditioning": fear_conditioning.figures,
    "mirror-emergence": mirror_emergence.figures,
}

RESULT_COLUMNS = ("paradigm", "condition", "lesion", "seed", "mode", "phase", "session", "measure", "value")
TRACE_COLUMNS = ("paradigm", "condition", "lesion", "seed", "phase", "session", "measure", "time", "value")
_INTS = ("seed", "session")
_FLOATS = ("value", "time")


def make_figures(result_dir, out_dir=None, compare=()):
    """Make every figure of the result folder ``result_dir``; return the written paths.

    ``out_dir`` defaults to ``result_dir/figures``. ``compare`` names further result
    folders of the same paradigm (e.g. the same run under other lesions) whose rows are
    drawn alongside, coloured by their lesion label.
    Raises :class:`~regions.errors.VicariousError` for a missing folder or ``results.csv``,
    a malformed table, or a paradigm without a figure.
    """
    folders = [_check_folder(result_dir)] + [_check_folder(d) for d in compare]
    rows, traces = [], []
    for folder in folders:
        rows += read_table(folder / "results.csv", RESULT_COLUMNS)
        if (folder / "traces.csv").is_file():
            traces += read_table(folder / "traces.csv", TRACE_COLUMNS)
    if not rows:
        raise VicariousError(f"{str(folders[0] / 'results.csv')!r} has no rows; nothing to plot")
    config = read_config(folders[0])
    out_dir = pathlib.Path(out_dir) if out_dir is not None else folders[0] / "figures"

    paradigms = list(dict.fromkeys(row["paradigm"] for row in rows))
    missing = [p for p in paradigms if p not in FIGURES]
    if missing:
        raise VicariousError(
            f"no figure for paradigm {missing[0]!r} (in {str(folders[0])!r}); figures exist for: "
            f"{', '.join(sorted(FIGURES))}")
    paths = []
    for paradigm in paradigms:
        function = FIGURES[paradigm]
        mine = [r for r in rows if r["paradigm"] == paradigm]
        my_traces = [t for t in traces if t["paradigm"] == paradigm]
        kwargs = {"config": config} if "config" in inspect.signature(function).parameters else {}
        paths += function(mine, my_traces, out_dir, **kwargs)
    return paths


def _check_folder(result_dir):
    path = pathlib.Path(result_dir)
    if not path.is_dir():
        raise VicariousError(f"no result folder at {str(path)!r}; make one with 'vicarious run PARADIGM'")
    if not (path / "results.csv").is_file():
        raise VicariousError(f"{str(path)!r} is not a result folder: it has no results.csv "
                             "(make one with 'vicarious run PARADIGM')")
    return path


def read_table(path, columns):
    """Rows of a results/traces CSV as dicts, numbers converted (``seed``, ``session`` int)."""
    path = pathlib.Path(path)
    with open(path, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return []
        absent = [c for c in columns if c not in header]
        if absent:
            raise VicariousError(f"{str(path)!r} lacks the column(s) {', '.join(absent)}; "
                                 f"expected: {', '.join(columns)}")
        index = {name: header.index(name) for name in columns}
        rows = []
        for line_no, fields in enumerate(reader, start=2):
            if not fields:
                continue
            try:
                row = {name: fields[i] for name, i in index.items()}
                for name in _INTS:
                    if name in row:
                        row[name] = int(float(row[name]))
                for name in _FLOATS:
                    if name in row:
                        row[name] = float(row[name]) if row[name] not in ("", "nan", "NaN") else math.nan
            except (IndexError, ValueError) as err:
                raise VicariousError(f"{str(path)!r} line {line_no} is malformed: {err}") from None
            rows.append(row)
    return rows


def read_config(result_dir):
    """``config.json`` of a result folder as a dict ({} when absent)."""
    path = pathlib.Path(result_dir) / "config.json"
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise VicariousError(f"{str(path)!r} is not readable JSON: {err}") from None


__all__ = ["FIGURES", "make_figures", "read_table", "read_config"]
