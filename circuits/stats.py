"""Lesion effects against the intact circuit: Hedges' g with a bootstrap CI, Mann-Whitney U, Holm.

For each effect measure (a paradigm's ``effects``: ``(phase, measure)`` or ``(phase, measure,
condition)``), each condition, each grid point and each lesion, :func:`compare` takes one value
per seed — the measure at the last session of the phase — under the lesion and under the
intact circuit at the same grid point, and reports:

* **Hedges' g** (:func:`hedges_g`): the standardised mean difference lesion − intact,
  ``(mean_lesion − mean_intact) / s_pooled`` times the exact small-sample correction
  ``J(df) = Γ(df/2) / (√(df/2) Γ((df−1)/2))``, ``df = n_lesion + n_intact − 2`` (Hedges 1981;
  Hedges & Olkin 1985, eq. 5.4.2). Negative g: the lesion lowers the measure.
* a **95% bootstrap CI** of g (:func:`bootstrap_ci`): percentile interval of g over
  resamples drawn with replacement within each group; seeded, so the same table gives
  the same interval (the generator is seeded with ``seed`` and the comparison's name, so an
  interval does not depend on which other comparisons are made);
* the two-sided **Mann-Whitney U** test (:func:`scipy.stats.mannwhitneyu`; exact for small
  samples without ties). With 3 seeds per group the smallest possible p is 0.1, with 5 it
  is 0.008: use at least 5 seeds when the test should be able to reject;
* **Holm**'s step-down correction (:func:`holm`; Holm 1979) over every comparison of the
  study (all effects, conditions, grid points and lesions together).

g is undefined (NaN, with a note) when a group has fewer than 2 values or both groups are
constant (e.g. freezing exactly 0 under the lesion and under the intact circuit).
"""

import csv
import json
import math
import os
import zlib
from pathlib import Path

import numpy as np
from scipy import stats as sps
from scipy.special import gammaln

from regions.errors import VicariousError, did_you_mean

#: Columns of stats.csv, with the swept parameters inserted after ``lesion``.
HEAD = ("paradigm", "phase", "measure", "condition", "session", "lesion")
TAIL = ("n_lesion", "n_intact", "mean_lesion", "sd_lesion", "mean_intact", "sd_intact", "hedges_g", "g_ci_low",
        "g_ci_high", "u", "p", "p_holm", "note")
STATS_COLUMNS = HEAD + TAIL
_INTS = ("session", "n_lesion", "n_intact")
_FLOATS = ("mean_lesion", "sd_lesion", "mean_intact", "sd_intact", "hedges_g", "g_ci_low", "g_ci_high", "u", "p",
           "p_holm")


# -- the statistics ---------------------------------------------------------------------------------------------
def correction(df):
    """Hedges' exact small-sample correction J(df) (→ 1 as df grows; J(6) = 0.8686)."""
    df = np.asarray(df, dtype=float)
    return np.exp(gammaln(df / 2) - gammaln((df - 1) / 2)) / np.sqrt(df / 2)


def hedges_g(x, y):
    """Hedges' g of ``x`` against ``y``: ``J(df) (mean x − mean y) / s_pooled``; NaN when undefined."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(_g(x[None, :], y[None, :])[0])


def _g(x, y):
    """Hedges' g along the last axis for stacks of samples ``x`` (k × n1) and ``y`` (k × n2)."""
    n1, n2 = x.shape[-1], y.shape[-1]
    if n1 < 2 or n2 < 2:
        return np.full(x.shape[0], math.nan)
    df = n1 + n2 - 2
    pooled = np.sqrt(((n1 - 1) * x.var(axis=-1, ddof=1) + (n2 - 1) * y.var(axis=-1, ddof=1)) / df)
    diff = x.mean(axis=-1) - y.mean(axis=-1)
    # groups of equal values have a variance of rounding error (~1e-17 of their size), not 0: count
    # them as constant, or a bootstrap resample of them reads as g ~ 1e15
    scale = np.maximum(np.abs(x).max(axis=-1), np.abs(y).max(axis=-1))
    spread = pooled > 1e-9 * scale
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(spread, diff / np.where(spread, pooled, 1.0), math.nan)
    return correction(df) * g


def bootstrap_ci(x, y, n_boot=2000, seed=0, level=0.95, name=""):
    """Percentile bootstrap interval ``(low, high, undefined_fraction)`` of Hedges' g of ``x`` vs ``y``.

    Each group is resampled with replacement on its own; resamples in which g is undefined
    (both resampled groups constant) are left out and counted in ``undefined_fraction``.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) < 2 or len(y) < 2:
        return math.nan, math.nan, 1.0
    rng = np.random.default_rng([seed, zlib.crc32(name.encode())])
    gx = x[rng.integers(0, len(x), (n_boot, len(x)))]
    gy = y[rng.integers(0, len(y), (n_boot, len(y)))]
    g = _g(gx, gy)
    finite = g[np.isfinite(g)]
    if not len(finite):
        return math.nan, math.nan, 1.0
    alpha = (1 - level) / 2
    low, high = np.quantile(finite, [alpha, 1 - alpha])
    return float(low), float(high), 1 - len(finite) / n_boot


def mann_whitney(x, y):
    """Two-sided Mann-Whitney ``(U of x, p)``; p = 1 when all values are equal, NaN for an empty group."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if not len(x) or not len(y):
        return math.nan, math.nan
    if np.all(np.concatenate([x, y]) == x[0]):
        return len(x) * len(y) / 2, 1.0  # every ordering is a tie: no evidence of a difference
    result = sps.mannwhitneyu(x, y, alternative="two-sided")
    return float(result.statistic), float(result.pvalue)


def holm(pvalues):
    """Holm-adjusted p-values (same order; NaN stays NaN and does not count towards m)."""
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, math.nan)
    finite = np.flatnonzero(np.isfinite(p))
    order = finite[np.argsort(p[finite], kind="stable")]
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(order) - rank) * p[i]))
        out[i] = running
    return out


# -- effects ----------------------------------------------------------------------------------------------------
def parse_effect(text):
    """``"PHASE/MEASURE[/CONDITION]"`` -> ``(phase, measure, condition or None)``."""
    parts = [p.strip() for p in str(text).split("/")]
    if len(parts) not in (2, 3) or not all(parts):
        raise VicariousError(f"--effects {text!r}: expected PHASE/MEASURE or PHASE/MEASURE/CONDITION, "
                             "e.g. test/freezing or training/freezing/tone")
    return tuple(parts) if len(parts) == 3 else (*parts, None)


def resolve_effects(paradigm, effects=None):
    """The effects to compare: ``effects`` (texts or tuples) or the paradigm's own, checked against its measures."""
    from circuits.paradigms import PARADIGMS

    spec = PARADIGMS[paradigm]
    chosen = getattr(spec, "effects", ()) if effects is None else effects
    out = []
    for effect in chosen:
        phase, measure, condition = parse_effect(effect) if isinstance(effect, str) else (*effect, None)[:3]
        known = spec.measures
        if known and measure not in known and not any(measure.startswith(m + "_") for m in known):
            raise VicariousError(f"--effects: {paradigm} has no measure {measure!r}"
                                 f"{did_you_mean(measure, known)}; its measures: {', '.join(known)}")
        if spec.phases and phase not in spec.phases:
            raise VicariousError(f"--effects: {paradigm} has no phase {phase!r}{did_you_mean(phase, spec.phases)}; "
                                 f"its phases: {', '.join(spec.phases)}")
        if (phase, measure, condition) not in out:
            out.append((phase, measure, condition))
    return tuple(out)


# -- comparisons ------------------------------------------------------------------------------------------------
def compare(rows, effects, swept=(), n_boot=2000, seed=0, intact="intact"):
    """Every lesion against ``intact`` at each grid point, per effect and condition; Holm across all.

    ``rows``: the study table (dicts with the results.csv columns and the ``swept`` columns).
    Returns one dict per comparison with the :data:`STATS_COLUMNS` (and the swept values).
    """
    lesions = list(dict.fromkeys(r["lesion"] for r in rows))
    out = []
    for phase, measure, condition in effects:
        mine = [r for r in rows if r["phase"] == phase and r["measure"] == measure
                and (condition is None or r["condition"] == condition)]
        for paradigm in dict.fromkeys(r["paradigm"] for r in mine):
            for cond in dict.fromkeys(r["condition"] for r in mine if r["paradigm"] == paradigm):
                group = [r for r in mine if r["paradigm"] == paradigm and r["condition"] == cond]
                for point in dict.fromkeys(tuple(r[k] for k in swept) for r in group):
                    at = [r for r in group if tuple(r[k] for k in swept) == point]
                    last = max(r["session"] for r in at)
                    values = {lesion: seed_values(at, lesion, last) for lesion in lesions}
                    for lesion in lesions:
                        if lesion == intact:
                            continue
                        key = dict(zip(HEAD, (paradigm, phase, measure, cond, last, lesion)))
                        name = json.dumps([paradigm, phase, measure, cond, lesion, *map(str, point)])
                        out.append(key | dict(zip(swept, point)) |
                                   _comparison(values[lesion], values.get(intact, []), n_boot, seed, name))
    for row, p in zip(out, holm([r["p"] for r in out])):
        row["p_holm"] = float(p)
    return out


def seed_values(rows, lesion, session):
    """One value per seed (finite only), in seed order."""
    chosen = {r["seed"]: float(r["value"]) for r in rows if r["lesion"] == lesion and r["session"] == session}
    return [chosen[s] for s in sorted(chosen) if math.isfinite(chosen[s])]


def _comparison(x, y, n_boot, seed, name):
    notes = []
    g = hedges_g(x, y)
    low, high, undefined = bootstrap_ci(x, y, n_boot, seed, name=name)
    u, p = mann_whitney(x, y)
    if not len(x) or not len(y):
        notes.append("no values under the lesion" if not len(x) else "no intact values")
    elif len(x) < 2 or len(y) < 2:
        notes.append("fewer than 2 seeds in a group: g undefined")
    elif not math.isfinite(g):
        notes.append("both groups constant: g undefined")
    elif undefined > 0.05:
        notes.append(f"{undefined:.0%} of bootstrap resamples had both groups constant (left out)")
    return {"n_lesion": len(x), "n_intact": len(y), "mean_lesion": _mean(x), "sd_lesion": _sd(x),
            "mean_intact": _mean(y), "sd_intact": _sd(y), "hedges_g": g, "g_ci_low": low, "g_ci_high": high,
            "u": u, "p": p, "p_holm": math.nan, "note": "; ".join(notes)}


def _mean(x):
    return float(np.mean(x)) if len(x) else math.nan


def _sd(x):
    return float(np.std(x, ddof=1)) if len(x) > 1 else math.nan


# -- files ------------------------------------------------------------------------------------------------------
def columns(swept=()):
    return HEAD + tuple(swept) + TAIL


def write_stats(path, rows, swept=()):
    """Write ``rows`` to ``path`` (CSV) atomically."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    cols = columns(swept)
    with open(tmp, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(cols)
        writer.writerows(["" if row[c] is None else row[c] for c in cols] for row in rows)
    os.replace(tmp, path)


def read_stats(path):
    """Rows of a stats.csv with numbers converted (swept columns stay text)."""
    path = Path(path)
    if not path.is_file():
        raise VicariousError(f"no statistics at {str(path)!r}; run the study's command again to make them")
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            for key in _INTS:
                row[key] = int(row[key])
            for key in _FLOATS:
                row[key] = float(row[key]) if row[key] not in ("",) else math.nan
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError, TypeError) as err:
        raise VicariousError(f"{str(path)!r} is damaged ({type(err).__name__}: {err}); run the study's command "
                             "again to make it anew") from None
    return rows
