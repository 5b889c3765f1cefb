"""Figure of the ``shock-observation`` paradigm.

a. freezing per phase of the observer and the demonstrator (observation: the pre-shock
   baseline and the shock period), coloured by lesion when results are compared;
b. freezing time courses of observer and demonstrator over the whole experiment (mean ±
   95% CI band across seeds), with the phases marked;
c. the observer's CeA and PAG-vl rates per phase;
d. the observer's nociceptive threshold (ramped stimulus) at habituation and while the
   demonstrator is shocked; a lower threshold is hyperalgesia;
e. (spiking runs with ``rasters=1``) spike raster of the observer's ACC/insula, BLA, CeA
   and PAG during the first observation shocks.

Small points are seeds; lines with error bars are mean ± 95% CI (t distribution).
"""

from collections import defaultdict

import numpy as np

from figures import style

PARADIGM = "shock-observation"
BLOCKS = (("habituation", "freezing", "habituation"), ("own_shocks", "freezing", "own shocks"),
          ("observation", "freezing_baseline", "obs. baseline"), ("observation", "freezing", "observation"),
          ("test", "freezing", "test"))
ANIMAL_COLORS = {"subject": "#000000", "other": "#D55E00"}
ANIMAL_NAMES = {"subject": "observer", "other": "demonstrator"}  # the roles in this paradigm
RASTER = (("spike_cortex", "ACC/insula"), ("spike_bla", "BLA"), ("spike_cea", "CeA"), ("spike_pag", "PAG"))


def _by_block(rows, condition, lesion, blocks):
    data = defaultdict(list)
    for i, (phase, measure, _) in enumerate(blocks):
        for r in rows:
            if (r["condition"], r["lesion"], r["phase"], r["measure"]) == (condition, lesion, phase, measure) \
                    and r["session"] == 0:
                data[i].append(r["value"])
    return data


def _groups(rows):
    """(animal, lesion) pairs to draw, with their colours and labels."""
    lesions = sorted({r["lesion"] for r in rows}, key=lambda x: (x != "intact", x))
    colors = style.lesion_colors(lesions)
    out = []
    for lesion in lesions:
        for animal in ("subject", "other"):
            if any(r["condition"] == animal and r["lesion"] == lesion for r in rows):
                color = ANIMAL_COLORS[animal] if len(lesions) == 1 else colors[lesion]
                name = ANIMAL_NAMES[animal]
                label = name if len(lesions) == 1 else f"{name} ({lesion})"
                out.append((animal, lesion, color, label, "--" if animal == "other" else "-"))
    return out


def figures(rows, traces, out_dir):
    rows = [r for r in rows if r["paradigm"] == PARADIGM]
    traces = [t for t in traces if t["paradigm"] == PARADIGM]
    spikes = [t for t in traces if t["measure"].startswith("spike_")]
    ns = []
    with style.paper_style():
        fig = style.new_figure(7.2, 6.4 if spikes else 5.6)
        axes = style.grid(fig, 2, 2, top=0.7, bottom=0.9 if not spikes else 2.0, hgap=1.2, wgap=0.9)
        (ax_f, ax_t), (ax_a, ax_h) = axes
        for k, (animal, lesion, color, label, line) in enumerate(_groups(rows)):
            data = _by_block(rows, animal, lesion, BLOCKS)
            if data:
                ns += style.plot_seeds(ax_f, data, color=color, label=label, linestyle=line, offset=0.1 * k, rng=k)
        ax_f.set_xticks(range(len(BLOCKS)), [b[2] for b in BLOCKS], rotation=25, ha="right")
        ax_f.set(title="freezing per phase", ylabel="freezing (fraction of steps)", ylim=(-0.03, 1.03))
        ax_f.legend(loc="upper left", frameon=False, fontsize=6)

        _timecourse(ax_t, rows, traces)
        _activity(ax_a, rows, ns)
        _threshold(ax_h, rows, ns)
        panels = [ax_f, ax_t, ax_a, ax_h]
        if spikes:
            ax_r = fig.add_axes([0.09, 0.08, 0.86, 0.15])
            _raster(ax_r, spikes)
            panels.append(ax_r)
        style.panel_letters(panels)
        modes = ", ".join(sorted({r["mode"] for r in rows}))
        fig.suptitle(f"Shock observation: emotional contagion ({modes} mode)", y=0.985)
        fig.text(0.5, 0.005, style.caption(ns), ha="center", fontsize=6.5, color="#444444")
        return style.save(fig, out_dir, "shock_observation")


def _timecourse(ax, rows, traces):
    lesions = sorted({t["lesion"] for t in traces}, key=lambda x: (x != "intact", x))
    for animal, lesion, color, label, line in _groups(rows):
        series = defaultdict(dict)
        for t in traces:
            if (t["condition"], t["lesion"], t["measure"]) == (animal, lesion, "freezing"):
                series[t["seed"]][t["time"]] = t["value"]
        if not series:
            continue
        times = sorted(next(iter(series.values())))
        matrix = np.array([[s.get(x, np.nan) for x in times] for s in series.values()])
        style.plot_band(ax, np.array(times), matrix, color=color, label=label, linestyle=line)
    starts = {}
    for t in traces:
        if t["measure"] == "phase_start":
            starts.setdefault(t["phase"], t["time"])
    for phase, time in starts.items():
        ax.axvline(time, color="#bbbbbb", linewidth=0.6, zorder=1)
        ax.text(time, 1.0, " " + phase.replace("_", " "), rotation=90, va="top", ha="left", fontsize=5.5,
                color="#777777")
    ax.set(title="freezing over the experiment", xlabel="time from the end of development (s)",
           ylabel="freezing (fraction of bin)", ylim=(-0.03, 1.03))
    if lesions:
        ax.legend(loc="upper left", frameon=False, fontsize=6)


def _activity(ax, rows, ns):
    blocks = [b for b in BLOCKS if b[1] == "freezing"]
    lesions = sorted({r["lesion"] for r in rows}, key=lambda x: (x != "intact", x))
    colors = style.lesion_colors(lesions)
    for k, lesion in enumerate(lesions):
        for j, (measure, name, marker) in enumerate((("cea", "CeA", "o"), ("pag_vl", "PAG-vl", "^"))):
            data = _by_block(rows, "subject", lesion, [(p, measure, t) for p, _, t in blocks])
            if data:
                color = style.LESION_COLORS[j] if len(lesions) == 1 else colors[lesion]
                label = name if len(lesions) == 1 else f"{name} ({lesion})"
                ns += style.plot_seeds(ax, data, color=color, marker=marker, label=label,
                                       offset=0.1 * (2 * k + j), rng=10 * k + j)
    ax.set_xticks(range(len(blocks)), [b[2] for b in blocks], rotation=25, ha="right")
    ax.set(title="observer: CeA and PAG-vl", ylabel="rate (Hz)")
    ax.legend(loc="upper left", frameon=False, fontsize=6)


def _threshold(ax, rows, ns):
    lesions = sorted({r["lesion"] for r in rows}, key=lambda x: (x != "intact", x))
    colors = style.lesion_colors(lesions)
    for k, lesion in enumerate(lesions):
        data = _by_block(rows, "subject", lesion, (("habituation", "nociceptive_threshold", ""),
                                                   ("observation", "nociceptive_threshold", "")))
        if data:
            color = "#000000" if len(lesions) == 1 else colors[lesion]
            ns += style.plot_seeds(ax, data, color=color, label=lesion, offset=0.1 * k, rng=k)
    ax.set_xticks([0, 1], ["habituation", "demonstrator\nshocked"])
    ax.set_xlim(-0.5, 1.5)
    ax.set(title="hyperalgesia (ramped stimulus)", ylabel="nociceptive threshold\n(relay drive, Hz)")
    if len(lesions) > 1:
        ax.legend(loc="lower left", frameon=False, fontsize=6)


def _raster(ax, spikes):
    seed = min(t["seed"] for t in spikes)
    offset, ticks = 0, []
    for k, (measure, name) in enumerate(RASTER):
        mine = [t for t in spikes if t["measure"] == measure and t["seed"] == seed]
        if not mine:
            continue
        units = np.array([t["value"] for t in mine])
        ax.scatter([t["time"] for t in mine], units + offset, s=1.5, color=style.LESION_COLORS[k % 8], marker="|")
        top = int(units.max()) + 1
        ticks.append((offset + top / 2, name))
        offset += top + 2
    ax.set_yticks([y for y, _ in ticks], [n for _, n in ticks])
    ax.set(xlabel="time from the end of the observation baseline (s)", title=f"observer spike raster (seed {seed})")
