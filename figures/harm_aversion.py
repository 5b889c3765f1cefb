"""Figure of the ``harm-aversion`` paradigm (after Hernandez-Lallement et al. 2020).

``harm_aversion`` (3 panels):

a. preference for the harming lever (its presses over all presses) per session: baseline
   sessions (no harm yet; the lever that will harm) then harm sessions, dotted line at 0.5;
   the paired control (the same animals, nothing reaching them; ``paradigm.paired_control``)
   dashed with square markers;
b. press rate (presses/min) per session (the harmed runs);
c. the dopamine response (VTA − tonic) around presses on the harming and on the safe lever
   in the first harm session, where the dip is learnt from (time 0: the outcome, food and the
   neighbour's shock; by the last session an averse animal hardly presses the harming lever).

Several lesion labels are coloured by lesion. Every small point is one seed; lines are the
mean ± 95% CI across seeds.
"""

from collections import defaultdict

import numpy as np
from matplotlib.lines import Line2D

from figures import style
from figures.lever_refusal import _label, dopamine_panel

PARADIGM = "harm-aversion"


def _by_session(rows, label, measure, n_base, condition="subject"):
    per = defaultdict(dict)
    for r in rows:
        if r["measure"] == measure and "time" not in r and _label(r) == label and r["condition"] == condition \
                and np.isfinite(r["value"]):
            session = r["session"] + 1 + (n_base if r["phase"] == "harm" else 0)
            per[session][r["seed"]] = r["value"]
    return {s: list(v.values()) for s, v in sorted(per.items())}


def figures(rows, traces, out_dir):
    rows = [r for r in rows if r["paradigm"] == PARADIGM]
    traces = [r for r in traces if r["paradigm"] == PARADIGM]
    labels = sorted({_label(r) for r in rows}, key=lambda x: (x != "intact", x))
    colors = style.lesion_colors(labels)
    n_base = 1 + max((r["session"] for r in rows if r["phase"] == "baseline"), default=-1)
    first = min((r["session"] for r in traces if r["phase"] == "harm"), default=0)
    ns = []
    with style.paper_style():
        has_control = any(r["condition"] == "control" for r in rows)
        legend_rows = -(-(len(labels) + has_control) // 4) if len(labels) > 1 or has_control else 0
        fig = style.new_figure(7.2, 2.9 + 0.16 * legend_rows)
        ax_pref, ax_rate, ax_da = style.grid(fig, 1, 3, top=0.6, bottom=0.75 + 0.16 * legend_rows, wgap=0.75)[0]
        for k, label in enumerate(labels):
            offset = 0.08 * (k - (len(labels) - 1) / 2)
            for ax, measure in ((ax_pref, "harm_preference"), (ax_rate, "press_rate")):
                data = _by_session(rows, label, measure, n_base)
                if data:
                    ns += style.plot_seeds(ax, data, color=colors[label], offset=offset, label=label, rng=k)
            control = _by_session(rows, label, "harm_preference", n_base, "control")
            if control:
                style.plot_seeds(ax_pref, control, color=colors[label], offset=offset + 0.04, marker="s",
                                 linestyle="--", rng=k + 100)
        for ax in (ax_pref, ax_rate):
            ax.axvline(n_base + 0.5, color="#999999", linewidth=0.6, linestyle=":")
            ax.set_xlabel("session (baseline | harm)")
        ax_pref.axhline(0.5, color="#999999", linewidth=0.6, linestyle=":")
        ax_pref.set(title="preference for the harming lever", ylabel="harming-lever presses / all presses",
                    ylim=(-0.03, 1.03))
        ax_rate.set(title="pressing", ylabel="presses per minute")
        top = max([r["value"] for r in rows if r["measure"] == "press_rate" and np.isfinite(r["value"])], default=1.0)
        ax_rate.set_ylim(-2, 1.15 * top + 1)
        for ax in (ax_pref, ax_rate):
            ax.xaxis.get_major_locator().set_params(integer=True)
        if legend_rows:  # lesion colours, and the control's style, in one row block under the panels
            handles = [Line2D([], [], color=colors[label], marker="o", markersize=3.2, label=label) for label in labels]
            if has_control:
                handles.append(Line2D([], [], color="#555555", marker="s", markersize=3.2, linestyle="--",
                                      label="paired control (a, nothing reaches the subject)"))
            fig.legend(handles=handles, loc="lower center", ncol=4, bbox_to_anchor=(0.5, 0.06), frameon=False)
        series = (("harm", "harm", first, "harming lever", "-", style.OKABE_ITO[4]),
                  ("harm", "safe", first, "safe lever", "--", style.OKABE_ITO[5]))
        dopamine_panel(ax_da, traces, labels, colors, series, f"dopamine, harm session {first + 1}",
                       "time from outcome (s)", "no presses or no VTA")
        style.panel_letters([ax_pref, ax_rate, ax_da])
        modes = ", ".join(sorted({r.get("mode", "") for r in rows}))
        fig.suptitle(f"Harm aversion (Hernandez-Lallement et al. 2020), {modes} mode", y=0.99)
        fig.text(0.5, 0.01, style.caption(ns), ha="center", fontsize=6, color="#444444")
        return style.save(fig, out_dir, "harm_aversion")
