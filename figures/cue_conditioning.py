"""Figures of the ``cue-conditioning`` paradigm.

``cue_conditioning`` (4 panels, training phase):

a. P(press) per session, light (press -> food) and tone (-> unavoidable footshock) trials;
b. freezing (fraction of cue time) per session, tone and light trials;
c. the dopamine response (VTA rate change from tonic, 50-150 ms after the event) at the
   light and at the food of light trials, per session: TD learning predicts a cue response
   that grows and a reward response that shrinks as the reward becomes predicted (Schultz,
   Dayan & Montague 1997);
d. the VTA trace around light trials that pressed (time from cue onset): rewarded trials of
   the first and last session, and the probe's trials whose food was withheld, with the cue
   and outcome windows shaded. The panel starts at cue onset: the inter-trial steps that
   ``traces.csv`` holds before it show the end of the previous trial (a burst of relief when a
   tone trial's footshock ends).

``cue_conditioning_activity`` (supplementary): BLA and ventral-striatal (critic) rates
during the cue per session, by trial type.

Sessions are numbered from 1 on the axes (session 0 of the table is "session 1").
Results with several lesion labels (or modes) are coloured by lesion, with trial type
or measure as line style and marker, so that a lesion study reads at a glance; a
measure that a lesion removed leaves its panel empty with a note. Every small point is
one seed; lines are the mean ± 95% CI across seeds.
"""

import dataclasses
import math
import zlib
from collections import defaultdict

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from figures import style

PARADIGM = "cue-conditioning"
CONDITIONS = ("light", "tone")
CONDITION_TEXT = {"light": "light trials (press → food)", "tone": "tone trials (→ footshock)"}
SESSION_LABEL = "training session"
DA_LABEL = "VTA rate − tonic (Hz)"
_DODGE = 0.1
_TRACE_STYLES = {"first": "--", "last": "-", "omitted": ":"}


@dataclasses.dataclass
class _Context:
    labels: list  # lesion labels (with the mode when several modes), intact first
    label_of: object  # row -> label
    colors: dict  # label -> colour
    ns: list = dataclasses.field(default_factory=list)  # seed counts drawn (for the caption)

    @property
    def multi(self):
        return len(self.labels) > 1


@dataclasses.dataclass(frozen=True)
class _Series:
    condition: str
    measure: str
    text: str
    color: str  # colour when a single lesion label is shown


def figures(rows, traces, out_dir, config=None):
    """Write ``cue_conditioning`` and ``cue_conditioning_activity`` (PNG + PDF); return the paths."""
    rows = _phase(rows)
    probe = [t for t in traces if t.get("phase") == "probe" and t["condition"] == "omitted"]
    traces = _phase(traces)
    labels, label_of = _group_labels(rows)
    config = config or {}
    with style.paper_style():
        paths = _main_figure(rows, traces + probe, out_dir, _Context(labels, label_of, style.lesion_colors(labels)),
                             config)
        paths += _activity_figure(rows, out_dir, _Context(labels, label_of, style.lesion_colors(labels)))
    return paths


# -- data helpers ---------------------------------------------------------------------------------------------

def _phase(rows, phase="training"):
    """Rows of ``phase`` (all rows when no row has it)."""
    mine = [r for r in rows if r.get("phase") == phase]
    return mine if mine else list(rows)


def _group_labels(rows):
    """Lesion labels (with the mode when several modes are present), intact first."""
    modes = list(dict.fromkeys(r.get("mode", "") for r in rows))
    several_modes = len(modes) > 1

    def label_of(row):
        lesion = row.get("lesion") or "intact"
        return f"{lesion} ({row.get('mode')})" if several_modes and row.get("mode") else lesion

    labels = list(dict.fromkeys(label_of(r) for r in rows))
    labels.sort(key=lambda label: not label.startswith("intact"))  # stable: otherwise order of appearance
    return labels, label_of


def _by_session(rows, ctx, label, condition, measure):
    """session (from 1) -> per-seed values (repeated rows of a seed are averaged)."""
    per = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r["measure"] == measure and r["condition"] == condition and math.isfinite(r["value"]) \
                and ctx.label_of(r) == label:
            per[r["session"]][r["seed"]].append(r["value"])
    return {s + 1: [float(np.mean(v)) for v in seeds.values()] for s, seeds in sorted(per.items())}


def _has(rows, measure, condition=None):
    return any(r["measure"] == measure and (condition is None or r["condition"] == condition)
               and math.isfinite(r["value"]) for r in rows)


def _seed_of(*parts):
    """A reproducible jitter seed per series (``hash`` is salted per process)."""
    return zlib.crc32("|".join(map(str, parts)).encode())


def _offsets(k):
    """Horizontal dodge of k series at one session (together at most 0.7 session wide)."""
    step = min(_DODGE, 0.7 / max(1, k - 1))
    return [(i - (k - 1) / 2) * step for i in range(k)]


def trial_windows(config):
    """``{"cue": (t0, t1), "outcome": (t0, t1), "food": (t0, t1), "step": dt}`` in s from cue onset, from
    ``config.json``: the cue is on for ``cue_steps``, the outcome follows for ``outcome_steps`` and the food
    comes in its first ``food_steps``. Missing parameters give ``{}`` (nothing shaded).
    """
    params = config.get("paradigm_params") or {}
    step = style.seconds(params.get("step")) if "step" in params else None
    try:
        cue, outcome = int(params["cue_steps"]), int(params["outcome_steps"])
        food = int(params.get("food_steps", outcome))
    except (KeyError, TypeError, ValueError):
        return {}
    if not step:
        return {}
    return {"cue": (0.0, cue * step), "outcome": (cue * step, (cue + outcome) * step),
            "food": (cue * step, (cue + food) * step), "step": step}


def _title_bits(rows):
    modes = sorted({r.get("mode") for r in rows if r.get("mode")})
    seeds = sorted({r["seed"] for r in rows})
    bits = [f"{'/'.join(modes)} mode" if modes else None, f"{len(seeds)} seed{'s' * (len(seeds) != 1)}"]
    return ", ".join(b for b in bits if b)


# -- panels ---------------------------------------------------------------------------------------------------

def _legend_above(ax, handles, title):
    """Title, then a one-row legend between title and axes (never over the data)."""
    if handles:
        ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(len(handles), 3),
                  borderaxespad=0.3, columnspacing=1.2, handletextpad=0.5)
    ax.set_title(title, pad=14 if handles else 4)


def _session_panel(ax, rows, ctx, series, title, ylabel, note, ylim=None, zero_line=False):
    """Measures vs session: per-seed points and mean ± 95% CI, one line per (lesion, series)."""
    drawn = []
    for label in ctx.labels:
        for i, spec in enumerate(series):
            data = _by_session(rows, ctx, label, spec.condition, spec.measure)
            if data:
                drawn.append((label, i, spec, data))
    if not drawn:
        style.skip_panel(ax, title, note)
        return
    if zero_line:
        ax.axhline(0.0, color="#999999", linewidth=0.5, zorder=1)
    used = sorted({i for _, i, _, _ in drawn})
    for (label, i, spec, data), offset in zip(drawn, _offsets(len(drawn))):
        k = used.index(i)
        color = ctx.colors[label] if ctx.multi else spec.color
        marker = style.MARKERS[k] if ctx.multi else "o"
        linestyle = style.LINESTYLES[k] if ctx.multi else "-"
        ctx.ns += style.plot_seeds(ax, data, color=color, marker=marker, linestyle=linestyle, offset=offset,
                                   rng=_seed_of(label, spec.condition, spec.measure))
    handles = []
    for k, i in enumerate(used):
        spec = series[i]
        color = "#444444" if ctx.multi else spec.color
        handles.append(Line2D([], [], color=color, marker=style.MARKERS[k] if ctx.multi else "o",
                              linestyle=style.LINESTYLES[k] if ctx.multi else "-", markersize=3.2,
                              label=spec.text))
    absent = [label for label in ctx.labels if label not in {d[0] for d in drawn}]
    if absent:
        handles.append(Line2D([], [], linestyle="none", label=f"no data: {', '.join(absent)}"))
    _legend_above(ax, handles, title)
    ax.set_xlabel(SESSION_LABEL)
    ax.set_ylabel(ylabel)
    if ylim:
        ax.set_ylim(*ylim)
    _session_ticks(ax, rows)


def _session_ticks(ax, rows):
    sessions = sorted({r["session"] + 1 for r in rows})
    if not sessions:
        return
    ax.set_xlim(sessions[0] - 0.5, sessions[-1] + 0.5)
    if len(sessions) <= 12:
        ax.set_xticks(sessions)
    else:
        ax.xaxis.get_major_locator().set_params(integer=True)


def _trace_panel(ax, traces, ctx, windows, sessions_run):
    """VTA trace around light trials that pressed: rewarded in the first and last recorded session, and
    with the food withheld in the probe."""
    title = "VTA dopamine around light trials with a press"
    light = [t for t in traces if t["measure"] == "vta" and t["condition"] in ("light", "omitted")
             and math.isfinite(t["value"])]
    if not light:
        note = ("no traces.csv in this result folder" if not traces else
                "no VTA trace of rewarded light trials\n(VTA removed, or no press in the recorded sessions)")
        style.skip_panel(ax, title, note)
        return
    sessions = sorted({t["session"] for t in light if t["condition"] == "light"})
    picks = [("first", "light", sessions[0])] if sessions else []
    picks += [("last", "light", sessions[-1])] if len(sessions) > 1 else []
    picks += [("omitted", "omitted", 0)] if any(t["condition"] == "omitted" for t in light) else []
    lesions = list(dict.fromkeys(t.get("lesion") or "intact" for t in light))
    lesions.sort(key=lambda label: label != "intact")
    multi = ctx.multi or len(lesions) > 1
    ax.axhline(0.0, color="#999999", linewidth=0.5, zorder=1)
    step = windows.get("step")
    for lesion in lesions:
        for which, condition, session in picks:
            per_seed = defaultdict(list)
            for t in light:
                if t["condition"] == condition and t["session"] == session and t["time"] >= 0 \
                        and (t.get("lesion") or "intact") == lesion:
                    per_seed[t["seed"]].append((t["time"], t["value"]))
            if not per_seed:
                continue
            time, matrix = _align(per_seed)
            color = _color_like(lesion, ctx.colors) if multi else style.COLORS[which]
            linestyle = _TRACE_STYLES[which] if multi else "-"
            ctx.ns.append(style.plot_band(ax, *_as_steps(time, matrix, step), color=color, linestyle=linestyle))
    handles = [Line2D([], [], color="#444444" if multi else style.COLORS[which],
                      linestyle=_TRACE_STYLES[which] if multi else "-",
                      label="probe: no food" if which == "omitted" else _session_text(session, sessions_run))
               for which, _, session in picks]
    missing = [s for s in (sessions_run[0], sessions_run[-1]) if s not in sessions] if sessions_run else []
    for session in dict.fromkeys(missing):
        handles.append(Line2D([], [], linestyle="none", label=f"session {session + 1}: no rewarded light trial"))
    _legend_above(ax, handles, title)
    if windows:
        _mark_windows(ax, windows)
    else:
        ax.axvline(0.0, color="#999999", linewidth=0.6, linestyle=":")
        ax.text(0.99, 0.02, "cue/outcome windows unknown (no config.json)", transform=ax.transAxes,
                ha="right", va="bottom", fontsize=5.5, color="#777777")
    ax.set_xlabel("time from cue onset (s)")
    ax.set_ylabel(DA_LABEL)


def _session_text(session, sessions_run):
    """'session 1 (first)', 'session 8 (last)' or 'session 3' (numbered from 1)."""
    which = ""
    if sessions_run and session == sessions_run[0]:
        which = " (first)"
    elif sessions_run and session == sessions_run[-1]:
        which = " (last)"
    return f"session {session + 1}{which}"


def _color_like(lesion, colors):
    """Colour of a lesion label (traces carry no mode: take the first label of that lesion)."""
    if lesion in colors:
        return colors[lesion]
    return next((c for label, c in colors.items() if label.split(" (")[0] == lesion), "#777777")


def _align(per_seed):
    """Common time axis (the first seed's) and a seeds x time matrix (interpolated if needed)."""
    series = [sorted(v) for _, v in sorted(per_seed.items())]
    time = np.array([p[0] for p in series[0]])
    matrix = []
    for s in series:
        t, v = np.array([p[0] for p in s]), np.array([p[1] for p in s])
        matrix.append(v if len(t) == len(time) and np.allclose(t, time) else np.interp(time, t, v))
    return time, np.array(matrix)


def _as_steps(time, matrix, step):
    """A step-wise trace: each value is the mean rate over ``[t, t + step)`` (one scene step)."""
    if not step or len(time) < 1:
        return time, matrix
    edges = np.repeat(np.append(time, time[-1] + step), 2)[1:-1]
    return edges, np.repeat(matrix, 2, axis=1)


def _mark_windows(ax, windows):
    """Shade the cue-only and outcome windows; stimulus bars (light, food) in headroom above the traces."""
    low, high = ax.get_ylim()
    ticks = [t for t in ax.get_yticks() if low <= t <= high]
    span = high - low
    ax.set_ylim(low, high + 0.22 * span)
    ax.set_yticks(ticks)  # no ticks in the headroom that holds the stimulus bars
    (c0, c1), (o0, o1) = windows["cue"], windows["outcome"]
    f0, f1 = windows.get("food", windows["outcome"])
    ax.axvspan(c0, c1, color="#F0F0F0", linewidth=0, zorder=0)
    ax.axvspan(o0, o1, color="#DDDDDD", linewidth=0, zorder=0)
    bars = (("light cue", c0, c1, "#444444", high + 0.15 * span),
            ("food", f0, f1, "#444444", high + 0.06 * span))
    for text, t0, t1, color, y in bars:
        ax.plot([t0, t1], [y, y], color=color, linewidth=2.2, solid_capstyle="butt", zorder=4)
        ax.text(t0 - 0.01 * (ax.get_xlim()[1] - ax.get_xlim()[0]), y, text, ha="right", va="center",
                fontsize=5.5, color=color)


# -- figures --------------------------------------------------------------------------------------------------

def _frame(fig, ctx, title):
    """Suptitle on top; legend of lesions (when several) and the statistics caption at the bottom."""
    height = fig.get_size_inches()[1]
    fig.suptitle(title, fontsize=8, y=1 - 0.06 / height, va="top")
    if ctx.multi:
        handles = [Patch(facecolor="none", edgecolor="none", label="lesion:")]
        handles += [Patch(facecolor=ctx.colors[label], edgecolor="none", label=label) for label in ctx.labels]
        fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.2 / height),
                   ncol=min(len(handles), 7), fontsize=6.5, handlelength=1.2)
    fig.text(0.5, 0.04 / height, style.caption(ctx.ns), ha="center", va="bottom", fontsize=6, color="#333333")


def _bottom(ctx):
    """Inches below the lowest axes: x label, caption, lesion legend."""
    return 0.62 + (0.22 if ctx.multi else 0.0)


def _main_figure(rows, traces, out_dir, ctx, config):
    fig = style.new_figure(7.0, 5.6 if ctx.multi else 5.4)
    axes = style.grid(fig, 2, 2, top=0.72, bottom=_bottom(ctx))
    a, b, c, d = axes.ravel()
    light, tone = style.COLORS["light"], style.COLORS["tone"]
    _session_panel(a, rows, ctx, [_Series("light", "press_probability", CONDITION_TEXT["light"], light),
                                  _Series("tone", "press_probability", CONDITION_TEXT["tone"], tone)],
                   "lever pressing", "P(press)", "no press_probability rows", ylim=(-0.03, 1.05))
    _session_panel(b, rows, ctx, [_Series("tone", "freezing", CONDITION_TEXT["tone"], tone),
                                  _Series("light", "freezing", CONDITION_TEXT["light"], light)],
                   "freezing to the cue", "freezing (fraction of cue time)",
                   "no freezing rows\n(e.g. PAG lesioned)", ylim=(-0.03, 1.05))
    _session_panel(c, rows, ctx, [_Series("light", "da_cue", "at the light", style.COLORS["cue"]),
                                  _Series("light", "da_outcome", "at the food", style.COLORS["outcome"])],
                   "dopamine at the cue and at the food (light trials)", DA_LABEL,
                   "no dopamine rows for light trials\n(VTA removed, or never rewarded)", zero_line=True)
    _trace_panel(d, traces, ctx, trial_windows(config), sorted({r["session"] for r in rows}))
    style.panel_letters(axes.ravel())
    _frame(fig, ctx, f"Cue conditioning ({_title_bits(rows)})" + ("" if ctx.multi else f": {ctx.labels[0]}"))
    return style.save(fig, out_dir, "cue_conditioning")


def _activity_figure(rows, out_dir, ctx):
    if not (_has(rows, "bla_cue") or _has(rows, "value_cue")):
        return []
    light, tone = style.COLORS["light"], style.COLORS["tone"]
    fig = style.new_figure(7.0, 3.1 if ctx.multi else 2.9)
    axes = style.grid(fig, 1, 2, top=0.72, bottom=_bottom(ctx))[0]
    _session_panel(axes[0], rows, ctx, [_Series("tone", "bla_cue", CONDITION_TEXT["tone"], tone),
                                        _Series("light", "bla_cue", CONDITION_TEXT["light"], light)],
                   "BLA during the cue", "BLA rate (Hz)", "no bla_cue rows\n(amygdala lesioned)")
    _session_panel(axes[1], rows, ctx, [_Series("light", "value_cue", CONDITION_TEXT["light"], light),
                                        _Series("tone", "value_cue", CONDITION_TEXT["tone"], tone)],
                   "ventral striatum (critic) during the cue", "critic value, appetitive − aversive (Hz)",
                   "no value_cue rows\n(ventral striatum lesioned)")
    style.panel_letters(axes)
    _frame(fig, ctx, f"Cue conditioning, cue-evoked activity ({_title_bits(rows)})"
           + ("" if ctx.multi else f": {ctx.labels[0]}"))
    return style.save(fig, out_dir, "cue_conditioning_activity")
