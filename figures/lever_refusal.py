"""Figure of the ``lever-refusal`` paradigm (after Church 1959).

``lever_refusal`` (3 panels):

a. press rate (presses/min) per day, training days then test days (Church's acquisition
   and test curves);
b. suppression ratio B/(A+B) per test day (0.5: no change, 0: no pressing while the
   neighbour is shocked), dashed line at 0.5;
c. the dopamine response (VTA − tonic) around paid presses (time 0: the outcome, food):
   last training day, and test presses before and during the light.

Several lesion labels (``vicarious figures DIR --compare DIR2``) are coloured by lesion.
Every small point is one seed; lines are the mean ± 95% CI across seeds.
"""

from collections import defaultdict

import numpy as np

from figures import style

PARADIGM = "lever-refusal"


def _label(row):
    return row.get("lesion") or "intact"


def _by_day(rows, label, phase, measure, first=0):
    per = defaultdict(dict)
    for r in rows:
        if r["phase"] == phase and r["measure"] == measure and "time" not in r and _label(r) == label \
                and np.isfinite(r["value"]):
            per[r["session"] + first + 1][r["seed"]] = r["value"]
    return {day: list(seeds.values()) for day, seeds in sorted(per.items())}


def _traces(traces, label, phase, condition, session):
    per = defaultdict(dict)
    for r in traces:
        if (r["phase"], r["condition"], r["session"], r["measure"]) == (phase, condition, session, "vta") \
                and _label(r) == label:
            per[r["seed"]][r["time"]] = r["value"]
    if not per:
        return None, None
    times = sorted({t for seed in per.values() for t in seed})
    return np.asarray(times), np.asarray([[seed.get(t, np.nan) for t in times] for seed in per.values()])


def dopamine_panel(ax, traces, labels, colors, series, title, xlabel, empty):
    """VTA − tonic around presses: one band per label and ``(phase, condition, session, text,
    linestyle, color)`` series (the color used when there is a single label)."""
    drawn = False
    for label in labels:
        for phase, condition, session, text, linestyle, own in series:
            t, block = _traces(traces, label, phase, condition, session)
            if t is None:
                continue
            style.plot_band(ax, t, block, color=colors[label] if len(labels) > 1 else own, linestyle=linestyle,
                            label=text if len(labels) == 1 else f"{label}: {text}")
            drawn = True
    if not drawn:
        style.skip_panel(ax, title, empty)
        return
    ax.axhline(0, color="#999999", linewidth=0.5)
    ax.axvline(0, color="#999999", linewidth=0.6, linestyle=":")
    ax.set(title=title, xlabel=xlabel, ylabel="VTA rate − tonic (Hz)")
    ax.legend(loc="upper left", fontsize=5.5)


def figures(rows, traces, out_dir):
    rows = [r for r in rows if r["paradigm"] == PARADIGM]
    traces = [r for r in traces if r["paradigm"] == PARADIGM]
    labels = sorted({_label(r) for r in rows}, key=lambda x: (x != "intact", x))
    colors = style.lesion_colors(labels)
    n_train = 1 + max((r["session"] for r in rows if r["phase"] == "training"), default=-1)
    ns = []
    with style.paper_style():
        fig = style.new_figure(7.2, 2.9)
        ax_rate, ax_ratio, ax_da = style.grid(fig, 1, 3, top=0.6, bottom=0.75, wgap=0.75)[0]
        for k, label in enumerate(labels):
            offset = 0.08 * (k - (len(labels) - 1) / 2)
            for phase, first, marker in (("training", 0, "o"), ("test", n_train, "s")):
                data = _by_day(rows, label, phase, "press_rate", first)
                if data:
                    ns += style.plot_seeds(ax_rate, data, color=colors[label], marker=marker, offset=offset,
                                           label=f"{label}: {phase}" if len(labels) > 1 else phase, rng=k)
            data = _by_day(rows, label, "test", "suppression_ratio")
            if data:
                ns += style.plot_seeds(ax_ratio, data, color=colors[label], offset=offset, label=label, rng=10 + k)
        if n_train:
            ax_rate.axvline(n_train + 0.5, color="#999999", linewidth=0.6, linestyle=":")
        ax_rate.set(title="pressing for food", xlabel="day", ylabel="presses per minute")
        top = max([r["value"] for r in rows if r["measure"] == "press_rate" and np.isfinite(r["value"])], default=1.0)
        ax_rate.set_ylim(-2, 1.15 * top + 1)  # a 2-seed t interval may run far past what a rat can press
        ax_rate.xaxis.get_major_locator().set_params(integer=True)
        last = max([r["session"] + 1 + (n_train if r["phase"] == "test" else 0) for r in rows
                    if r["measure"] == "press_rate"], default=1)
        ax_rate.set_xlim(0.4, last + 0.6)
        ax_rate.legend(loc="lower right")
        ax_ratio.axhline(0.5, color="#999999", linewidth=0.6, linestyle="--")
        ax_ratio.set(title="while the neighbour is shocked", xlabel="test day",
                     ylabel="suppression ratio B/(A+B)", ylim=(-0.03, 0.75))
        ax_ratio.text(0.98, 0.02, "dashed: 0.5 = no change", transform=ax_ratio.transAxes, ha="right", va="bottom",
                      fontsize=6, color="#777777")
        days = sorted({r["session"] + 1 for r in rows if r["measure"] == "suppression_ratio"}) or [1]
        ax_ratio.set_xlim(days[0] - 0.6, days[-1] + 0.6)  # whole days, even with one test day
        ax_ratio.set_xticks(days)
        if len(labels) > 1:
            ax_ratio.legend(loc="upper left")
        series = (("training", "subject", n_train - 1, "last training day", "-", style.OKABE_ITO[0]),
                  ("test", "pre", 0, "test day 1, before the light", "--", style.OKABE_ITO[5]),
                  ("test", "light", 0, "test day 1, neighbour shocked", ":", style.OKABE_ITO[4]))
        dopamine_panel(ax_da, traces, labels, colors, series, "dopamine around paid presses", "time from food (s)",
                       "no paid presses or no VTA")
        style.panel_letters([ax_rate, ax_ratio, ax_da])
        modes = ", ".join(sorted({r.get("mode", "") for r in rows}))
        fig.suptitle(f"Lever refusal (Church 1959), {modes} mode", y=0.99)
        fig.text(0.5, 0.01, style.caption(ns), ha="center", fontsize=6, color="#444444")
        return style.save(fig, out_dir, "lever_refusal")
