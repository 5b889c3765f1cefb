"""Figures of the ``mirror-emergence`` paradigm.

``mirror_emergence`` (6 panels):

a. mirror-index histogram of responsive units, intact vs untrained vs shuffled world
   (pooled over seeds; the dashed line is the index criterion 0.5), with the mirror
   fraction (congruent, selective units with index > 0.5) in the legend;
b. self/other overlap per event and condition, its mean, and the event-specific overlap
   (same event minus different events), including the untrained cortex (per-seed points,
   mean ± 95% CI);
c. overlap against the other's similarity (intact, shuffled, egocentric);
d, e. RSA matrices (cosine between event × agent probes, mean over seeds): intact and
   egocentric;
f. capacity: overlap (dashed) and read-out R² (solid) against cortical units, intact vs
   egocentric (log axis).
"""

import math
from collections import defaultdict

import numpy as np
from matplotlib.lines import Line2D

from figures import style

EVENTS = ("footshock", "eating", "pressing", "exploring", "groomed")
AGENTS = ("self", "other")
COLORS = {"intact": "#000000", "untrained": "#999999", "shuffled": "#E69F00", "egocentric": "#0072B2"}
TEXT = {"intact": "intact", "untrained": "untrained (learning frozen)", "shuffled": "shuffled",
        "egocentric": "egocentric"}


def figures(rows, traces, out_dir):
    """Write ``mirror_emergence`` (PNG + PDF); return the paths."""
    with style.paper_style():
        return _figure(rows, out_dir)


def _values(rows, condition, phase, measure):
    """session -> per-seed values."""
    out = defaultdict(list)
    for r in rows:
        if r["condition"] == condition and r["phase"] == phase and r["measure"] == measure \
                and math.isfinite(r["value"]):
            out[r["session"]].append(r["value"])
    return dict(out)


def _histogram(ax, rows):
    bins = np.linspace(0, 1, 11)
    handles = []
    for condition in ("intact", "untrained", "shuffled"):
        values = [r["value"] for r in rows if r["condition"] == condition and r["phase"] == "probe"
                  and r["measure"] == "mirror_index"]
        if not values:
            continue
        weights = np.full(len(values), 1.0 / len(values))
        filled = condition == "intact"
        ax.hist(values, bins=bins, weights=weights, histtype="stepfilled" if filled else "step",
                color=COLORS[condition], alpha=0.3 if filled else 1.0, linewidth=1.2,
                linestyle="--" if condition == "untrained" else "-")
        fractions = _values(rows, condition, "probe", "mirror_fraction").get(0, [])
        mean, half, n = style.ci95(fractions)
        ci = f" ± {half:.2f}" if math.isfinite(half) else ""
        handles.append(Line2D([], [], color=COLORS[condition], linewidth=2,
                              linestyle="--" if condition == "untrained" else "-",
                              label=f"{condition}: {mean:.2f}{ci}"))
    ax.axvline(0.5, color="#777777", linestyle=":", linewidth=0.7)
    ax.set_xlabel("mirror index (min/max of self vs other response)")
    ax.set_ylabel("fraction of responsive units")
    ax.set_xlim(0, 1)
    if handles:
        ax.legend(handles=handles, loc="upper right", title="mirror fraction (congruent, selective,\n"
                  "index > 0.5): mean ± 95% CI", title_fontsize=6, fontsize=6)
    ax.set_ylim(0, 1)
    ax.set_title("mirror units: intact, untrained, shuffled")


def _per_event(ax, rows, ns):
    conditions = [c for c in ("intact", "untrained", "shuffled", "egocentric") if _values(rows, c, "probe", "overlap")]
    offsets = {c: (i - (len(conditions) - 1) / 2) * 0.22 for i, c in enumerate(conditions)}
    for condition in conditions:
        data = {i: _values(rows, condition, "probe", f"overlap_{event}").get(0, []) for i, event in enumerate(EVENTS)}
        data[len(EVENTS) + 0.5] = _values(rows, condition, "probe", "overlap").get(0, [])
        data[len(EVENTS) + 1.5] = _values(rows, condition, "probe", "specific_overlap").get(0, [])
        ns += style.plot_seeds(ax, data, color=COLORS[condition], offset=offsets[condition], connect=False,
                               rng=len(condition))
    ax.axvline(len(EVENTS) - 0.25, color="#bbbbbb", linewidth=0.6)
    ax.axhline(0, color="#bbbbbb", linewidth=0.6)
    ax.set_xticks(list(range(len(EVENTS))) + [len(EVENTS) + 0.5, len(EVENTS) + 1.5])
    ax.set_xticklabels(list(EVENTS) + ["mean", "event-specific"], rotation=30, ha="right")
    ax.set_ylim(-0.05, 1.05)
    ax.set_ylabel("self/other overlap (cosine)")
    _legend_above(ax, _condition_handles(conditions), "overlap of self and other codes")


def _similarity(ax, rows, ns):
    conditions = [c for c in ("intact", "shuffled", "egocentric") if _values(rows, c, "similarity", "overlap")]
    for condition in conditions:
        data = {s / 100: v for s, v in _values(rows, condition, "similarity", "overlap").items()}
        ns += style.plot_seeds(ax, data, color=COLORS[condition], jitter=0.01, rng=len(condition))
    ax.set_xlabel("similarity of the other")
    ax.set_ylabel("self/other overlap (cosine)")
    ax.set_xlim(0, 1.05)
    ax.set_ylim(-0.05, 1.05)
    _legend_above(ax, _condition_handles(conditions), "overlap vs similarity")


def _rsa(ax, rows, condition):
    labels = [f"{e}/{a}" for e in EVENTS for a in AGENTS]
    n = len(labels)
    per = defaultdict(list)
    for r in rows:
        if r["condition"] == condition and r["phase"] == "probe" and r["measure"] == "rsa":
            per[r["session"]].append(r["value"])
    if not per:
        style.skip_panel(ax, f"RSA: {TEXT[condition]}", f"no rsa rows for {condition}")
        return None
    matrix = np.full((n, n), np.nan)
    for index, values in per.items():
        matrix[index // n, index % n] = np.mean(values)
    image = ax.imshow(matrix, vmin=0, vmax=1, cmap="viridis")
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_xticklabels(labels, rotation=90, fontsize=5.5)
    ax.set_yticklabels(labels if condition == "intact" else [], fontsize=5.5)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(f"RSA: {TEXT[condition]} cortex")
    return image


def _capacity(ax, rows, ns):
    drawn = []
    for condition in ("intact", "egocentric"):
        for measure, linestyle, marker in (("r2", "-", "o"), ("overlap", "--", "s")):
            data = _values(rows, condition, "capacity", measure)
            if data:
                ns += style.plot_seeds(ax, data, color=COLORS[condition], linestyle=linestyle, marker=marker,
                                       jitter=0.0, rng=len(condition + measure))
                drawn.append(condition)
    if not drawn:
        style.skip_panel(ax, "capacity", "no capacity sweep in this run")
        return
    sizes = sorted({r["session"] for r in rows if r["phase"] == "capacity"})
    ax.set_xscale("log", base=2)
    ax.set_xticks(sizes)
    ax.set_xticklabels([str(s) for s in sizes])
    ax.minorticks_off()
    ax.set_xlabel("cortical units")
    ax.set_ylabel("R² of read-out / overlap")
    ax.set_ylim(-0.05, 1.05)
    handles = _condition_handles(list(dict.fromkeys(drawn)))
    handles += [Line2D([], [], color="#444444", linestyle="-", marker="o", markersize=3, label="R²"),
                Line2D([], [], color="#444444", linestyle="--", marker="s", markersize=3, label="overlap")]
    match = defaultdict(list)  # NaN (not reached) kept
    for r in rows:
        if r["condition"] == "egocentric" and r["phase"] == "capacity" and r["measure"] == "units_to_match":
            match[r["session"]].append(r["value"])
    if match:
        text = ", ".join(f"{n}→{_mean_text(v)}" for n, v in sorted(match.items()))
        ax.text(1.0, -0.3, f"egocentric units for the intact R²\n(intact N → egocentric): {text}", transform=ax.transAxes,
                ha="right", va="top", fontsize=5.5, color="#333333")
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=5.5,
              columnspacing=0.8, handletextpad=0.4, borderaxespad=0.3)
    ax.set_title("capacity", pad=26)


def _mean_text(values):
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return "not reached"
    return f"{np.mean(finite):.0f}" + (f" ({len(finite)}/{len(values)} seeds)" if len(finite) < len(values) else "")


def _condition_handles(conditions):
    return [Line2D([], [], color=COLORS[c], marker="o", markersize=3, label=TEXT[c]) for c in conditions]


def _legend_above(ax, handles, title):
    """Title, then a legend (one row, two when there are more than three entries) between title and axes."""
    rows = 1 if len(handles) <= 3 else 2
    if handles:
        ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=-(-len(handles) // rows),
                  borderaxespad=0.3, columnspacing=1.0, handletextpad=0.5)
    ax.set_title(title, pad=(14 if rows == 1 else 24) if handles else 4)


def _axes(fig, left, bottom, width, height):
    """Axes placed in inches from the figure's lower left corner."""
    w, h = fig.get_size_inches()
    return fig.add_axes([left / w, bottom / h, width / w, height / h])


def _figure(rows, out_dir):
    fig = style.new_figure(7.2, 6.9)
    a, b, c = (_axes(fig, x, 4.45, 1.75, 1.75) for x in (0.55, 3.0, 5.3))
    d, e = (_axes(fig, x, 1.15, 1.95, 1.95) for x in (0.95, 3.05))
    f = _axes(fig, 5.95, 1.15, 1.15, 1.95)
    ns = []
    _histogram(a, rows)
    _per_event(b, rows, ns)
    _similarity(c, rows, ns)
    image = None
    for ax, condition in ((d, "intact"), (e, "egocentric")):
        image = _rsa(ax, rows, condition) or image
    if image is not None:
        bar = fig.colorbar(image, cax=_axes(fig, 5.07, 1.15, 0.07, 1.95))
        bar.set_label("cosine similarity", labelpad=1)
    _capacity(f, rows, ns)
    style.panel_letters([a, b, c, d, e, f], x=-0.14)
    modes = sorted({r.get("mode") for r in rows if r.get("mode")})
    seeds = sorted({r["seed"] for r in rows})
    lesions = sorted({r.get("lesion") or "intact" for r in rows})
    height = fig.get_size_inches()[1]
    fig.suptitle(f"Mirror emergence ({'/'.join(modes)} mode, {len(seeds)} seeds; circuit: {', '.join(lesions)})",
                 fontsize=8, y=1 - 0.06 / height, va="top")
    fig.text(0.5, 0.04 / height, style.caption(ns) + " Histogram pools units of all seeds; RSA is the seed mean.",
             ha="center", va="bottom", fontsize=6, color="#333333")
    return style.save(fig, out_dir, "mirror_emergence")
