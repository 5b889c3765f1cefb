"""Figure of the ``context-modulation`` paradigm: the learnt context gate on empathy.

``context_modulation`` (4 panels; lesions and controls drawn alongside with
``vicarious figures DIR --compare DIR2``, one colour per lesion label):

a. CeA rate while an animal of each group is in pain, in the early window (circles) and the late
   window (squares); every animal a point, mean ± 95% CI;
b. the same for dopamine (VTA − tonic);
c. the CeA time course around the other's pain onset, one line per group (the first run only),
   mean and 95% CI band across animals; the dotted line ends the early window;
d. the gain the PFC's context gate put on CeA during the encounters with each group, per day of
   group life (1: no modulation);
e. the harm test: the preference for the lever that shocks an in-group or an out-group neighbour, and
   for the same lever in the control whose neighbour is unmarked and never harmed, per harm session;
f. dopamine (VTA − tonic) after presses on that lever, per harm session and neighbour.
"""

from collections import defaultdict

import numpy as np
from matplotlib.ticker import MaxNLocator

from figures import style

PARADIGM = "context-modulation"
GROUPS = ("ingroup", "outgroup", "rival", "novel")
GROUP_COLORS = dict(zip(GROUPS, ("#009E73", "#D55E00", "#CC79A7", "#0072B2"))) | {"control": "#777777"}
NEIGHBOURS = ("ingroup", "outgroup", "control")
WINDOW_MARKERS = {"early": "o", "late": "s"}


def _values(rows, lesion, phase, measure, condition):
    """Session -> per-seed values."""
    out = defaultdict(dict)
    for r in rows:
        if (r["phase"], r["measure"], r["condition"]) == (phase, measure, condition) and \
                (r.get("lesion") or "intact") == lesion and np.isfinite(r["value"]):
            out[r["session"]][r["seed"]] = r["value"]
    return {s: list(v.values()) for s, v in sorted(out.items())}


def figures(rows, traces, out_dir, config=None):
    rows = [r for r in rows if r["paradigm"] == PARADIGM]
    traces = [r for r in traces if r["paradigm"] == PARADIGM]
    lesions = list(dict.fromkeys(r.get("lesion") or "intact" for r in rows))
    colors = style.lesion_colors(lesions)
    groups = [g for g in GROUPS if any(r["condition"] == g for r in rows)]
    ns = []
    with style.paper_style():
        fig = style.new_figure(7.2, 7.8)
        (ax_cea, ax_da), (ax_time, ax_gain), (ax_pref, ax_harm_da) = style.grid(fig, 3, 2, top=0.6, bottom=0.9,
                                                                                hgap=0.95, wgap=0.95)
        width = 0.7 / max(1, 2 * len(lesions))
        for k, lesion in enumerate(lesions):
            for w, window in enumerate(WINDOW_MARKERS):
                offset = width * (2 * k + w - (2 * len(lesions) - 1) / 2)
                for ax, measure in ((ax_cea, "cea"), (ax_da, "dopamine")):
                    data = {i: _values(rows, lesion, "test", f"{measure}_{window}", g).get(0, [])
                            for i, g in enumerate(groups)}
                    label = f"{lesion}, {window}" if ax is ax_cea else None
                    ns += style.plot_seeds(ax, data, color=colors[lesion], marker=WINDOW_MARKERS[window],
                                           offset=offset, jitter=width / 4, rng=k * 2 + w, connect=False, label=label)
        for ax, title, ylabel in ((ax_cea, "CeA while the other is in pain", "CeA rate (Hz)"),
                                  (ax_da, "dopamine while the other is in pain", "VTA rate − tonic (Hz)")):
            ax.set_xticks(range(len(groups)), groups)
            ax.set(title=title, ylabel=ylabel, xlabel="the other's group")
        ax_da.axhline(0, color="#999999", linewidth=0.5)
        ax_cea.legend(loc="best", fontsize=5.5)
        first = lesions[0] if lesions else "intact"
        for g in groups:
            per = defaultdict(dict)
            for r in traces:
                if (r["measure"], r["condition"]) == ("cea", g) and (r.get("lesion") or "intact") == first:
                    per[r["seed"]][r["time"]] = r["value"]
            if per:
                times = sorted(next(iter(per.values())))
                style.plot_band(ax_time, times, [[s[t] for t in times] for s in per.values()],
                                color=GROUP_COLORS[g], label=g)
        early = _early_end(config)
        if early is not None:
            ax_time.axvline(early, color="#999999", linestyle=":", linewidth=0.7)
        ax_time.axvline(0, color="#999999", linewidth=0.5)
        ax_time.set(title=f"CeA around the other's pain onset ({first})", xlabel="time from pain onset (s)",
                    ylabel="CeA rate (Hz)")
        ax_time.legend(loc="upper left", fontsize=5.5)
        drawn = False
        for k, lesion in enumerate(lesions):
            for j, g in enumerate(groups):
                data = {day + 1: v for day, v in _values(rows, lesion, "group_life", "gain_cea", g).items()}
                if data:
                    drawn = True
                    ns += style.plot_seeds(ax_gain, data, color=GROUP_COLORS[g], offset=0.08 * (j - 1), rng=10 + j,
                                           linestyle=style.LINESTYLES[k % len(style.LINESTYLES)],
                                           label=f"{g}" + (f" ({lesion})" if len(lesions) > 1 else ""))
        if drawn:
            ax_gain.axhline(1, color="#999999", linewidth=0.5)
            ax_gain.set(title="what the PFC gate learnt: gain on CeA", xlabel="day of group life",
                        ylabel="gain (1: none)")
            ax_gain.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax_gain.legend(loc="best", fontsize=5.5)
        else:
            style.skip_panel(ax_gain, "what the PFC gate learnt", "no context gate (PFC lesioned)")
        ns += _harm_panels(rows, lesions, ax_pref, ax_harm_da)
        style.panel_letters([ax_cea, ax_da, ax_time, ax_gain, ax_pref, ax_harm_da])
        modes = ", ".join(sorted({r.get("mode", "") for r in rows}))
        fig.suptitle(f"Context modulation of empathy by a learnt PFC gate, {modes} mode", y=0.99)
        fig.text(0.5, 0.01, "a, b: circles early window, squares late window of the other's pain. c: band = 95% CI "
                 "across animals.\n" + style.caption(ns), ha="center", fontsize=6, color="#444444")
        return style.save(fig, out_dir, "context_modulation")


def _early_end(config):
    """Where the early window ends (s from pain onset), from the run's parameters; None when unknown."""
    params = (config or {}).get("paradigm_params", {})
    step = style.seconds(params.get("step"))
    return int(params["early_steps"]) * step if step is not None and "early_steps" in params else None


def _harm_panels(rows, lesions, ax_pref, ax_da):
    """Panels e and f (the harm test); the animal counts drawn."""
    ns, drawn = [], False
    for k, lesion in enumerate(lesions):
        for j, neighbour in enumerate(NEIGHBOURS):
            for ax, measure in ((ax_pref, "harm_preference"), (ax_da, "da_harm")):
                data = {s + 1: v for s, v in _values(rows, lesion, "harm", measure, neighbour).items()}
                if data:
                    drawn = True
                    ns += style.plot_seeds(ax, data, color=GROUP_COLORS[neighbour], offset=0.08 * (j - 1), rng=20 + j,
                                           linestyle=style.LINESTYLES[k % len(style.LINESTYLES)],
                                           label=neighbour + (f" ({lesion})" if len(lesions) > 1 else ""))
    if not drawn:
        for ax, title in ((ax_pref, "harm test"), (ax_da, "dopamine after harming presses")):
            style.skip_panel(ax, title, "no harm test (paradigm.harm_test=0)")
        return ns
    ax_pref.set(title="harm test: preference for the harming lever", xlabel="harm session",
                ylabel="harming-lever presses / presses", ylim=(-0.05, 1.05))
    ax_da.set(title="dopamine after harming presses", xlabel="harm session", ylabel="VTA rate − tonic (Hz)")
    ax_da.axhline(0, color="#999999", linewidth=0.5)
    for ax in (ax_pref, ax_da):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_pref.legend(loc="best", fontsize=5.5, title="neighbour", title_fontsize=5.5)
    return ns
