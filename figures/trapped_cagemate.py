"""Figure of the ``trapped-cagemate`` paradigm (after Ben-Ami Bartal, Decety & Mason 2011).

``trapped_cagemate`` (4 panels, one colour per lesion and restrainer, e.g. ``intact, cagemate`` and
``intact, empty`` drawn together with ``vicarious figures DIR --compare DIR2``):

a. the fraction of free animals that opened the door themselves, per day, with its 95% Wilson interval;
b. the latency to open per day: every animal a point (the session's length when it did not open),
   the median joined by a line and the interquartile range as a bar;
c. the fraction of bouts before the release spent working at the door, per day;
d. the dopamine response (VTA − tonic) over the outcome of the bout in which the door opened, per
   day (animals that opened only).
"""

from collections import defaultdict

import numpy as np
from matplotlib.ticker import MaxNLocator
from scipy import stats

from figures import style

PARADIGM = "trapped-cagemate"
Z95 = stats.norm.ppf(0.975)


def label(row):
    return f"{row.get('lesion') or 'intact'}, {row['condition']}"


#: Groups per row of the legend above the panels.
LEGEND_COLUMNS = 4


def _by_day(rows, name, measure):
    per = defaultdict(dict)
    for r in rows:
        if r["measure"] == measure and r["phase"] == "sessions" and "time" not in r and label(r) == name \
                and np.isfinite(r["value"]):
            per[r["session"] + 1][r["seed"]] = r["value"]
    return {day: list(v.values()) for day, v in sorted(per.items())}


def wilson(k, n, z=Z95):
    """The 95% Wilson score interval of a proportion ``k / n``."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # within [0, 1] and around p: rounding had left the lower bound of 0 of 24 at 1e-17
    return np.clip(np.minimum(centre - half, p), 0, 1), np.clip(np.maximum(centre + half, p), 0, 1)


def figures(rows, traces, out_dir):
    rows = [r for r in rows if r["paradigm"] == PARADIGM]
    names = sorted({label(r) for r in rows}, key=lambda x: (x != "intact, cagemate", x))
    palette = [style.COLORS["intact"], *style.LESION_COLORS * (1 + len(names) // len(style.LESION_COLORS))]
    colors = dict(zip(names, palette))
    ns, ns_near, ns_da = [], [], []
    legend_rows = -(-len(names) // LEGEND_COLUMNS)
    with style.paper_style():
        fig = style.new_figure(7.2, 5.2 + 0.14 * legend_rows)
        (ax_open, ax_lat), (ax_near, ax_da) = style.grid(fig, 2, 2, top=0.6 + 0.14 * legend_rows, bottom=0.9,
                                                         hgap=0.95, wgap=0.95)
        rng = np.random.default_rng(0)
        for k, name in enumerate(names):
            offset = 0.12 * (k - (len(names) - 1) / 2)
            color = colors[name]
            opened = _by_day(rows, name, "opened")
            days = np.array(sorted(opened), dtype=float)
            n = np.array([len(opened[d]) for d in opened])
            hits = np.array([sum(opened[d]) for d in opened])
            low, high = wilson(hits, n)
            ax_open.errorbar(days + offset, hits / n, yerr=[hits / n - low, high - hits / n], color=color,
                             marker="o", markersize=3.2, linewidth=1.0, elinewidth=0.8, capsize=1.5, label=name)
            ns += list(n)
            latency = _by_day(rows, name, "latency")
            for day, values in latency.items():
                ax_lat.scatter(day + offset + rng.uniform(-0.04, 0.04, len(values)), values, s=5, color=color,
                               alpha=0.4, linewidths=0)
            q = np.array([np.percentile(v, [25, 50, 75]) for v in latency.values()])
            x = np.array(list(latency), dtype=float) + offset
            ax_lat.errorbar(x, q[:, 1], yerr=[q[:, 1] - q[:, 0], q[:, 2] - q[:, 1]], color=color, marker="o",
                            markersize=3.2, linewidth=1.0, elinewidth=0.8, capsize=1.5)
            near = _by_day(rows, name, "near_restrainer")
            style.plot_seeds(ax_near, near, color=color, offset=offset, rng=k)
            ns_near += [len(v) for v in near.values()]
            da = _by_day(rows, name, "da_open")
            ns_da += [len(v) for v in da.values()]
            if da:
                style.plot_seeds(ax_da, da, color=color, offset=offset, rng=k + 10)
        ax_open.set(title="animals opening the door", ylabel="fraction of free animals", ylim=(-0.03, 1.03))
        # above the panels: with several groups a legend inside panel a covers its first days' intervals
        fig.legend(*ax_open.get_legend_handles_labels(), loc="upper center", ncol=min(len(names), LEGEND_COLUMNS),
                   bbox_to_anchor=(0.5, 1 - 0.34 / fig.get_size_inches()[1]), fontsize=6, frameon=False)
        ax_lat.set(title="latency to open (top: door stayed shut)", ylabel="latency (s)")
        ax_near.set(title="working at the door, before the release", ylabel="fraction of bouts", ylim=(-0.03, 1.03))
        if ax_da.collections or ax_da.lines:
            ax_da.axhline(0, color="#999999", linewidth=0.5)
            ax_da.set(title="dopamine at the opening", ylabel="VTA rate − tonic (Hz)")
        else:
            style.skip_panel(ax_da, "dopamine at the opening", "no animal opened, or no VTA")
        for ax in (ax_open, ax_lat, ax_near, ax_da):
            ax.set_xlabel("day")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        style.panel_letters([ax_open, ax_lat, ax_near, ax_da])
        modes = ", ".join(sorted({r.get("mode", "") for r in rows}))
        fig.suptitle(f"Trapped cagemate (Ben-Ami Bartal et al. 2011), {modes} mode", y=0.995)
        fig.text(0.5, 0.01, f"a: fraction of animals with its 95% Wilson interval (n = {style.n_text(ns)} animals); "
                 "b: every animal a point, median and interquartile range.\nc: " + style.caption(ns_near)
                 + f"\nd: only the animals that opened that day (n = {style.n_text(ns_da)} per group and day), "
                 "as in c", ha="center", fontsize=6, color="#444444")
        return style.save(fig, out_dir, "trapped_cagemate")
