"""Figures of a lesion study folder (``vicarious study``), made from its files, never by re-simulating.

* ``lesion_effects_<paradigm>``: a forest plot, one panel per effect measure: for each lesion
  (and grid point) Hedges' g against the intact circuit with its 95% bootstrap CI, a zero
  line, the seeds per group (lesioned / intact) in the row label and the Holm-corrected
  Mann-Whitney p at the right (from ``stats.csv``, :mod:`circuits.stats`);
* ``severity_<paradigm>`` (when a named lesion was run at two or more severities, e.g.
  ``--lesions psychopathy:0.25,psychopathy:0.5,psychopathy``): each effect measure against the
  lesion's severity, intact at 0 — for ``psychopathy``, the empathy measures against psychopathy
  severity (one line per graded lesion and grid point; seeds as points, mean ± 95% t-CI);
* ``circuit-<lesion>``: the paradigm's circuit with each lesion marked
  (:func:`figures.circuit.draw_circuit`);
* the paradigm's own figure with every lesion coloured (:data:`figures.FIGURES`), once per grid
  point (in ``<point>/`` subfolders when parameters were swept).
"""

import math
import pathlib
import textwrap

import numpy as np

from circuits.lesions import LESIONS, named_severity
from circuits.stats import read_stats, seed_values
from circuits.study import RUNS, STATS_CSV, job_config, load_table, read_study, slug, spec_from_dict
from figures import style

CAPTION = ("Points: Hedges' g of each lesion against the intact circuit (lesion − intact; negative: lower under "
           "the lesion), exact small-sample correction. Bars: 95% percentile bootstrap CI ({n_boot} resamples per "
           "group). n = lesioned / intact seeds (one value per seed: the measure at the last session of the phase). "
           "p: two-sided Mann-Whitney U, Holm-corrected over all {m} comparisons of the study (* p < 0.05). "
           "Rows without a point: g undefined (reason given).")


def figures(study_dir, out_dir=None):
    """Every figure of the study folder ``study_dir``; returns the written paths."""
    study_dir = pathlib.Path(study_dir)
    record = read_study(study_dir)
    spec = spec_from_dict(record["spec"])
    out_dir = pathlib.Path(out_dir) if out_dir is not None else study_dir / "figures"
    stats = read_stats(study_dir / STATS_CSV)
    paths = []
    graded = graded_lesions(spec.lesions)
    table = load_table(study_dir) if graded and stats else None
    for paradigm in dict.fromkeys(r["paradigm"] for r in stats):
        mine = [r for r in stats if r["paradigm"] == paradigm]
        paths += forest(mine, spec.grid_keys, out_dir, paradigm, spec.mode, n_boot=2000, m=len(stats))
        if graded:
            effects = list(dict.fromkeys((r["phase"], r["measure"], r["condition"]) for r in mine))
            paths += severity(table, graded, effects, spec.grid_keys, out_dir, paradigm, spec.mode)
    paths += lesion_circuits(spec, out_dir)
    paths += paradigm_figures(study_dir, spec, out_dir)
    return paths


# -- forest plot ------------------------------------------------------------------------------------------------
def _effect_title(row):
    return f"{row['measure']} ({row['phase']}, {row['condition']})"


def _row_label(row, swept):
    point = ", ".join(f"{k.split('.')[-1]}={row[k]}" for k in swept)
    return f"{row['lesion']}" + (f" · {point}" if point else "") + f"\nn = {row['n_lesion']} / {row['n_intact']}"


def _p_text(p):
    if not math.isfinite(p):
        return "p –"
    star = "*" if p < 0.05 else ""
    return (f"p < 0.001{star}" if p < 0.001 else f"p = {p:.2g}{star}")


def forest(stats, swept, out_dir, paradigm, mode, n_boot=2000, m=None):
    """Forest plot of ``stats`` rows (one paradigm): one panel per effect, one row per lesion (x grid point)."""
    effects = list(dict.fromkeys((r["phase"], r["measure"], r["condition"]) for r in stats))
    comparisons = list(dict.fromkeys((r["lesion"], *(r[k] for k in swept)) for r in stats))
    lesions = list(dict.fromkeys(r["lesion"] for r in stats))
    colors = style.lesion_colors(["intact", *lesions])
    ncols = 1 if len(effects) == 1 else 2
    nrows = math.ceil(len(effects) / ncols) if effects else 1
    label_w = 0.3 + 0.055 * max([len(_row_label(r, swept).split("\n")[0]) for r in stats] + [10])
    panel_h = 0.42 * len(comparisons) + 0.25
    with style.paper_style():
        fig = style.new_figure(label_w * ncols + 2.3 * ncols + 0.55 * (ncols - 1) + 0.2,
                               nrows * panel_h + (nrows - 1) * 0.75 + 1.55)
        axes = style.grid(fig, nrows, ncols, top=0.55, bottom=1.0, left=label_w, right=0.55, hgap=0.75,
                          wgap=label_w + 0.55)
        flat = axes.ravel()
        for ax, effect in zip(flat, effects):
            rows = {(r["lesion"], *(r[k] for k in swept)): r for r in stats
                    if (r["phase"], r["measure"], r["condition"]) == effect}
            ys = np.arange(len(comparisons))[::-1]
            labels = []
            for y, key in zip(ys, comparisons):
                row = rows.get(key)
                if row is None:
                    labels.append(f"{key[0]}\n(not compared)")
                    continue
                labels.append(_row_label(row, swept))
                color = colors[row["lesion"]]
                g, low, high = row["hedges_g"], row["g_ci_low"], row["g_ci_high"]
                if math.isfinite(g):
                    if math.isfinite(low) and math.isfinite(high):
                        ax.errorbar([g], [y], xerr=[[g - low], [high - g]], color=color, linewidth=1.1,
                                    capsize=2, capthick=0.9, linestyle="none", zorder=2)
                    ax.plot([g], [y], marker="o", markersize=4.5, color=color, markeredgecolor="white",
                            markeredgewidth=0.5, linestyle="none", zorder=3)
                else:
                    ax.text(0.5, y, textwrap.fill(row["note"] or "g undefined", 40), ha="center", va="center",
                            fontsize=5.8, color="#666666", zorder=3, transform=ax.get_yaxis_transform(),
                            bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none"))
                ax.text(1.02, y, _p_text(row["p_holm"]), transform=ax.get_yaxis_transform(), ha="left",
                        va="center", fontsize=6, color="#333333", clip_on=False)
            ax.axvline(0, color="#777777", linewidth=0.7, linestyle=(0, (3, 2)), zorder=1)
            ax.set_yticks(ys, labels)
            ax.tick_params(axis="y", length=0)
            ax.set_ylim(-0.6, len(comparisons) - 0.4)
            ax.set_xlim(*_xlim(rows.values()))
            ax.set_title(_effect_title(rows[next(iter(rows))]) if rows else str(effect))
            ax.set_xlabel("Hedges' g, lesion − intact (95% bootstrap CI)")
        for ax in flat[len(effects):]:
            ax.set_visible(False)
        style.panel_letters(flat[:len(effects)], x=-0.04)
        n_seeds = style.n_text([r["n_intact"] for r in stats])
        fig.suptitle(f"Lesion effects in {paradigm} ({mode} mode, intact n = {n_seeds} seeds)", y=0.995,
                     fontsize=8)
        width = fig.get_size_inches()[0]
        fig.text(0.5, 0.012, textwrap.fill(CAPTION.format(n_boot=n_boot, m=m or len(stats)), int(width * 21)),
                 ha="center", va="bottom", fontsize=5.8, color="#444444")
        if not stats:
            flat[0].set_visible(True)
            style.skip_panel(flat[0], "no comparisons", "the study has no lesion or no effect measure")
        return style.save(fig, out_dir, f"lesion_effects_{paradigm}")


def _xlim(rows):
    """Limits that hold 0, every g and CI of the panel, and at least [-1, 1]."""
    values = [v for r in rows for v in (r["hedges_g"], r["g_ci_low"], r["g_ci_high"]) if math.isfinite(v)]
    low, high = min([-1.0, *values]), max([1.0, *values])
    pad = 0.08 * (high - low)
    return low - pad, high + pad


# -- severity curves -------------------------------------------------------------------------------------------
def graded_lesions(labels):
    """name -> {severity: label} for each named lesion run at two or more severities (intact is severity 0)."""
    graded = {}
    for label in labels:
        if "+" in label or label.partition(":")[0] not in LESIONS:  # A+B, intact, a primitive (cut:, ...)
            continue
        name, level = named_severity(label)
        graded.setdefault(name, {})[level] = label
    return {name: {0.0: "intact", **levels} for name, levels in graded.items() if len(levels) >= 2}


def severity_series(rows, graded, swept=()):
    """``{(name, grid point): {severity: per-seed values}}`` of one effect's ``rows`` (last session of each point)."""
    out = {}
    for name, levels in graded.items():
        for point in dict.fromkeys(tuple(r[k] for k in swept) for r in rows):
            at = [r for r in rows if tuple(r[k] for k in swept) == point]
            last = max(r["session"] for r in at)
            out[name, point] = {level: seed_values(at, label, last) for level, label in levels.items()}
    return out


def severity(table, graded, effects, swept, out_dir, paradigm, mode):
    """Each effect against the severity of each graded lesion: seeds as points, mean ± 95% t-CI."""
    from circuits.paradigms import PARADIGMS

    measures = PARADIGMS[paradigm].measures
    points = list(dict.fromkeys(tuple(r[k] for k in swept) for r in table)) or [()]
    colors = style.lesion_colors(list(graded))
    styles = ["-", "--", ":", "-."]
    ncols = min(len(effects), 3)
    nrows = math.ceil(len(effects) / ncols)
    ns = []
    with style.paper_style():
        fig = style.new_figure(2.45 * ncols + 0.2, 2.2 * nrows + 1.1)
        axes = style.grid(fig, nrows, ncols, top=0.6, bottom=0.95, left=0.6, hgap=0.95, wgap=0.75)
        flat = axes.ravel()
        for ax, (phase, measure, condition) in zip(flat, effects):
            rows = [r for r in table if r["paradigm"] == paradigm and r["phase"] == phase
                    and r["measure"] == measure and (condition is None or r["condition"] == condition)]
            series = severity_series(rows, graded, swept)
            for i, ((name, point), data) in enumerate(series.items()):
                label = name + (" · " + ", ".join(f"{k.split('.')[-1]}={v}" for k, v in zip(swept, point))
                                if point else "")
                ns += style.plot_seeds(ax, data, color=colors[name], label=label,
                                       linestyle=styles[points.index(point) % len(styles)],
                                       offset=0.012 * (i - (len(series) - 1) / 2), jitter=0.01, rng=i)
            ax.set_title(f"{measure}\n({phase}{', ' + condition if condition else ''})")
            ax.set_xlabel("lesion severity (0 = intact)")
            ax.set_ylabel(textwrap.fill(measures.get(measure, measure), 42), fontsize=6)
            ax.set_xlim(-0.06, 1.06)
            ax.set_xticks(sorted({level for levels in graded.values() for level in levels}))
        for ax in flat[len(effects):]:
            ax.set_visible(False)
        flat[0].legend(loc="best", fontsize=6, frameon=False)
        style.panel_letters(flat[:len(effects)])
        fig.suptitle(f"{paradigm}: effect measures against lesion severity ({mode} mode)", y=0.995, fontsize=8)
        width = fig.get_size_inches()[0]
        fig.text(0.5, 0.012, textwrap.fill(style.caption(ns) + " One value per seed: the measure at the last "
                                           "session of the phase.", int(width * 21)),
                 ha="center", va="bottom", fontsize=5.8, color="#444444")
        return style.save(fig, out_dir, f"severity_{paradigm}")


# -- circuits ---------------------------------------------------------------------------------------------------
def lesion_circuits(spec, out_dir):
    """The circuit under each lesion of ``spec`` (first grid point), marked against intact."""
    from figures.circuit import draw_circuit

    point = spec.points()[0]
    jobs = {job.lesion: job for job in spec.jobs() if job.point == point and job.seed == spec.seeds[0]}
    intact = job_config(jobs["intact"]).circuit()
    paths = []
    for lesion, job in jobs.items():
        if lesion == "intact":
            continue
        path = pathlib.Path(out_dir) / f"circuit-{slug(lesion)}.png"
        paths.append(draw_circuit(intact, job_config(job).circuit(), path, lesions=list(job.lesions),
                                  title=f"{spec.paradigm}: circuit with lesion {lesion}"))
    return paths


# -- the paradigm's own figure ----------------------------------------------------------------------------------
def paradigm_figures(study_dir, spec, out_dir):
    """The paradigm's figure with all lesions coloured; one per grid point."""
    import inspect

    from circuits.results import load_rows
    from figures import FIGURES, read_config

    function = FIGURES.get(spec.paradigm)
    if function is None:
        return []
    table = load_table(study_dir)
    paths = []
    for point in spec.points():
        jobs = [job for job in spec.jobs() if job.point == point
                and (pathlib.Path(study_dir) / RUNS / job.run_id).is_dir()]
        ids = {job.run_id for job in jobs}
        rows = [r for r in table if r["run_id"] in ids]
        if not rows:
            continue
        traces = []
        for job in jobs:
            traces += load_rows(pathlib.Path(study_dir) / RUNS / job.run_id, traces=True)
        where = pathlib.Path(out_dir)
        if point:
            where = where / slug("_".join(f"{k}={v}" for k, v in point))
        kwargs = {}
        if "config" in inspect.signature(function).parameters:
            kwargs["config"] = read_config(pathlib.Path(study_dir) / RUNS / jobs[0].run_id)
        paths += function(rows, traces, where, **kwargs)
    return paths
