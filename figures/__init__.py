"""Paper-style figures made from a result folder (never by re-simulating).

:func:`make_figures` reads ``results.csv`` (and ``traces.csv`` when present) of a result
folder (:func:`circuits.results.load_rows`), looks up the paradigm named in the rows and calls the
figure function registered for it in :data:`FIGURES`. Each figure function takes
``(rows, traces, out_dir)`` (and, when it declares it, ``config=``: the run's
``config.json`` as a dict) and returns the paths it wrote. Figures go to
``DIR/figures/`` as PNG (200 dpi) and PDF, drawn on the non-interactive Agg canvas.

To add a paradigm's figure, write ``figures/<paradigm>.py`` with such a function and
register it below. :func:`figures.circuit.draw_circuit` draws the circuit graph itself.
"""

import inspect
import json
import pathlib

from circuits.results import check_result_dir, load_rows
from figures import (
    context_modulation,
    cue_conditioning,
    fear_conditioning,
    harm_aversion,
    lever_refusal,
    mirror_emergence,
    shock_observation,
    trapped_cagemate,
)
from regions.errors import VicariousError

#: paradigm name -> figure function ``(rows, traces, out_dir[, config=]) -> list[Path]``
FIGURES = {
    "cue-conditioning": cue_conditioning.figures,
    "fear-conditioning": fear_conditioning.figures,
    "mirror-emergence": mirror_emergence.figures,
    "shock-observation": shock_observation.figures,
    "lever-refusal": lever_refusal.figures,
    "harm-aversion": harm_aversion.figures,
    "trapped-cagemate": trapped_cagemate.figures,
    "context-modulation": context_modulation.figures,
}



def make_figures(result_dir, out_dir=None, compare=()):
    """Make every figure of the result folder ``result_dir``; return the written paths.

    ``out_dir`` defaults to ``result_dir/figures``. A study folder (``vicarious study``) gets
    the figures of :mod:`figures.study`. ``compare`` names further result
    folders of the same paradigm (e.g. the same run under other lesions) whose rows are
    drawn alongside, coloured by their lesion label.
    Raises :class:`~regions.errors.VicariousError` for a missing folder or ``results.csv``,
    a malformed table, or a paradigm without a figure.
    """
    if (pathlib.Path(result_dir) / "study.json").is_file():  # a 'vicarious study' folder
        from figures import study

        return study.figures(result_dir, out_dir)
    folders = [check_result_dir(d) for d in (result_dir, *compare)]
    rows, traces = [], []
    for folder in folders:
        rows += load_rows(folder)
        traces += load_rows(folder, traces=True)
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


def read_config(result_dir):
    """``config.json`` of a result folder as a dict ({} when absent)."""
    path = pathlib.Path(result_dir) / "config.json"
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise VicariousError(f"{str(path)!r} is not readable JSON: {err}") from None


__all__ = ["FIGURES", "make_figures", "read_config"]
