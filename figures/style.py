"""Shared paper style: rc settings, per-seed points with mean ± 95% CI, panel letters, saving.

Every summary plot shows each seed (one simulated animal) as a small, jittered,
semi-transparent point and, on top, the mean across seeds with its 95% confidence
interval from the t distribution (``t(0.975, n - 1) * sd / sqrt(n)``); with one seed only
the points are drawn, joined by a thin line (no interval can be estimated). The figure says
so in words: "mean ± 95% CI across seeds (n = N)" (:func:`ci_note`, :func:`caption`).

Figures are built on :class:`matplotlib.figure.Figure` with the non-interactive Agg
canvas, never through ``pyplot``, so making figures neither opens windows nor changes the
caller's backend.
"""

import math
import pathlib
import re

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from scipy import stats

#: rc settings of every figure (Nature-like: 7 pt text, thin axes, no top/right spines).
STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Helvetica", "DejaVu Sans"],
    "font.size": 7,
    "axes.titlesize": 7.5,
    "axes.labelsize": 7,
    "xtick.labelsize": 6.5,
    "ytick.labelsize": 6.5,
    "legend.fontsize": 6,
    "legend.frameon": False,
    "legend.handlelength": 1.8,
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 2.5,
    "ytick.major.size": 2.5,
    "lines.linewidth": 1.2,
    "lines.markersize": 3.5,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.03,
    "pdf.fonttype": 42,  # editable text in Illustrator/Inkscape
    "ps.fonttype": 42,
}

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#F0E442")
#: Colours with a meaning, kept the same in every figure.
COLORS = {
    "light": "#E69F00",   # the rewarded cue (light -> press -> food)
    "tone": "#0072B2",    # the aversive cue (tone -> footshock)
    "cue": "#009E73",
    "outcome": "#D55E00",
    "first": "#56B4E9",
    "last": "#000000",
    "omitted": "#CC79A7",  # a probe trial whose reward was withheld
    "intact": "#000000",
}
#: Lesion colours in order (intact is black); distinct from one another for colour-blind readers.
LESION_COLORS = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", ":", "-.")


def paper_style():
    """Context manager applying :data:`STYLE` (``with paper_style(): ...``)."""
    return matplotlib.rc_context(STYLE)


def new_figure(width, height):
    """A Figure (inches) on the Agg canvas, outside pyplot."""
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def lesion_colors(labels):
    """Mapping lesion label -> colour: ``intact`` black, lesions in Okabe-Ito order (vermillion first)."""
    out, others = {}, iter(LESION_COLORS * (1 + len(labels) // len(LESION_COLORS)))
    for label in labels:
        out[label] = COLORS["intact"] if label == "intact" else next(others)
    return out


def grid(fig, nrows, ncols, *, top, bottom, left=0.6, right=0.15, hgap=0.9, wgap=0.75):
    """``nrows x ncols`` axes with margins and gaps in inches (a layout that never moves).

    Room above each axes (``top`` and ``hgap``) holds its title and a legend row; below it
    the x label; left of it (``left`` and ``wgap``) the y label.
    """
    width, height = fig.get_size_inches()
    ax_w = (width - left - right - (ncols - 1) * wgap) / ncols
    ax_h = (height - top - bottom - (nrows - 1) * hgap) / nrows
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height,
                        bottom=bottom / height, wspace=wgap / ax_w, hspace=hgap / ax_h)
    return fig.subplots(nrows, ncols, squeeze=False)


def ci95(values):
    """``(mean, half_width, n)`` of the finite ``values``; half_width is nan when n < 2."""
    x = np.asarray([v for v in values if v is not None and math.isfinite(v)], dtype=float)
    n = len(x)
    if n == 0:
        return math.nan, math.nan, 0
    if n == 1:
        return float(x[0]), math.nan, 1
    half = stats.t.ppf(0.975, n - 1) * x.std(ddof=1) / math.sqrt(n)
    return float(x.mean()), float(half), n


def n_text(ns):
    """'3' or '2–3' for a collection of seed counts."""
    ns = sorted({int(n) for n in ns if n})
    if not ns:
        return "0"
    return str(ns[0]) if ns[0] == ns[-1] else f"{ns[0]}–{ns[-1]}"


def ci_note(ns):
    """The caption fragment every summary figure carries."""
    ns = [n for n in ns if n]
    if ns and max(ns) == 1:
        return "single seed (n = 1): no confidence interval can be estimated"
    return f"mean ± 95% CI across seeds (n = {n_text(ns)})"


def caption(ns):
    """One-line statistics caption of a figure of per-seed points and means."""
    ns = [n for n in ns if n]
    if ns and max(ns) == 1:
        return f"Lines join the values of a {ci_note(ns)}."
    return (f"Small points: individual seeds (jittered); lines with error bars or bands: {ci_note(ns)}, "
            "t distribution.")


def plot_seeds(ax, data, *, color, label=None, marker="o", linestyle="-", offset=0.0, jitter=0.05,
               rng=0, point_alpha=0.45, connect=True):
    """Per-seed points and mean ± 95% CI for each x.

    ``data`` maps x -> per-seed values (one value per seed). Each seed is a small,
    jittered, semi-transparent point; the mean is a larger marker with a 95% t-interval
    error bar (means joined by a line when ``connect``). ``offset`` shifts the whole group
    horizontally (dodging groups at the same x). Returns the seed counts per x.
    """
    rng = np.random.default_rng(rng)
    xs = sorted(data)
    means, halves, ns = [], [], []
    for x in xs:
        values = [v for v in data[x] if v is not None and math.isfinite(v)]
        mean, half, n = ci95(values)
        means.append(mean)
        halves.append(half)
        ns.append(n)
        if n:
            px = x + offset + (rng.uniform(-jitter, jitter, n) if n > 1 else 0.0)
            ax.scatter(px, values, s=6, color=color, alpha=point_alpha, linewidths=0, zorder=2,
                       marker=marker, rasterized=False)
    xs_plot = np.asarray(xs, dtype=float) + offset
    means, halves = np.asarray(means), np.asarray(halves)
    if max(ns, default=0) >= 2:
        ax.errorbar(xs_plot, means, yerr=np.where(np.isfinite(halves), halves, 0.0), color=color,
                    marker=marker, markersize=3.2, linestyle=linestyle if connect else "none",
                    linewidth=1.0, elinewidth=0.8, capsize=1.5, capthick=0.8, label=label, zorder=3,
                    markeredgecolor="white", markeredgewidth=0.3)
    else:  # one seed: only the points, joined so the trend stays visible
        ax.plot(xs_plot, means, color=color, marker="none", linestyle=linestyle if connect else "none",
                linewidth=0.8, alpha=0.8, label=label, zorder=3)
    return ns


def plot_band(ax, t, traces, *, color, label=None, linestyle="-", alpha=0.2):
    """Mean time course across seeds with a 95% CI band.

    ``traces`` is an array (seeds x time). Returns the number of seeds.
    """
    traces = np.atleast_2d(np.asarray(traces, dtype=float))
    n = traces.shape[0]
    mean = np.nanmean(traces, axis=0)
    ax.plot(t, mean, color=color, linestyle=linestyle, linewidth=1.1, label=label, zorder=3)
    if n >= 2:
        half = stats.t.ppf(0.975, n - 1) * np.nanstd(traces, axis=0, ddof=1) / math.sqrt(n)
        ax.fill_between(t, mean - half, mean + half, color=color, alpha=alpha, linewidth=0, zorder=2)
    return n


def panel_letter(ax, letter, x=-0.1):
    """Bold panel letter (a, b, c, ...) left of ``ax``, on the line of its title.

    Call after the title is set (the letter follows the title's padding).
    """
    ax.text(x, 1.0, letter, transform=ax.title.get_transform(), fontsize=9, fontweight="bold",
            ha="right", va="baseline")


def panel_letters(axes, **kwargs):
    for i, ax in enumerate(axes):
        panel_letter(ax, "abcdefghijklmnopqrstuvwxyz"[i], **kwargs)


def skip_panel(ax, title, note):
    """Leave a panel empty with a note saying why (e.g. a measure absent after a lesion)."""
    ax.set_title(title)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.text(0.5, 0.5, note, transform=ax.transAxes, ha="center", va="center", fontsize=6.5,
            color="#555555", wrap=True)


def save(fig, out_dir, name, dpi=200, formats=("png", "pdf")):
    """Write ``out_dir/name.png`` (``dpi``) and ``.pdf``; return the paths."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = out_dir / f"{name}.{fmt}"
        tmp = path.with_name(f".{path.name}.tmp")
        fig.savefig(tmp, dpi=dpi, format=fmt)
        tmp.replace(path)  # atomic: a half-written figure never replaces a good one
        paths.append(path)
    return paths


def seconds(value):
    """Seconds from a config value: a number (s) or Brian2 text like ``'50. * msecond'``."""
    if isinstance(value, (int, float)):
        return float(value)
    match = re.fullmatch(r"\s*([-+0-9.eE]+)\s*\*?\s*([a-zA-Z]*)\s*", str(value))
    if not match:
        return None
    scale = {"": 1.0, "s": 1.0, "second": 1.0, "ms": 1e-3, "msecond": 1e-3, "us": 1e-6, "usecond": 1e-6}
    unit = match.group(2)
    return float(match.group(1)) * scale[unit] if unit in scale else None
