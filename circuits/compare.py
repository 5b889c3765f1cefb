"""``vicarious compare``: the effect tables of several studies side by side, e.g. a paradigm's lesion study in
rate mode against the same study in spiking mode.

Each folder is a study (``vicarious study``), whose ``stats.csv`` compares every lesion with intact
(:mod:`circuits.stats`). Comparisons are matched by paradigm, phase, measure, condition, lesion and grid
point. For each study the table gives Hedges' g with its 95% bootstrap CI and Holm's p, and a verdict: ``+``
or ``-`` when the CI lies above or below 0, ``0`` when it holds 0 (for two constant groups, where g is
undefined, the sign of their difference). The studies *agree* on a comparison
when their verdicts are the same; a comparison one study lacks is ``absent`` there.
"""

import csv
import math
import os
from pathlib import Path

from circuits.stats import read_stats
from circuits.study import STATS_CSV, read_study
from regions.errors import VicariousError

KEY = ("paradigm", "phase", "measure", "condition", "lesion")
ABSENT = "absent"


def verdict(row):
    """'+', '-' or '0' from a stats row's CI (``ABSENT`` for no row). Where the CI is undefined because both
    groups are constant, the sign of their difference ('0' if equal); '?' where there is nothing to tell
    (a group without values)."""
    if row is None:
        return ABSENT
    low, high = row["g_ci_low"], row["g_ci_high"]
    if math.isfinite(low) and math.isfinite(high):
        return "+" if low > 0 else "-" if high < 0 else "0"
    lesion, intact = row.get("mean_lesion", math.nan), row.get("mean_intact", math.nan)
    constant = row.get("sd_lesion") == 0 and row.get("sd_intact") == 0
    if constant and math.isfinite(lesion) and math.isfinite(intact):
        return "+" if lesion > intact else "-" if lesion < intact else "0"
    return "?"


def load(folders):
    """``(labels, stats)``: a label per study folder (its mode, or its folder name where modes repeat) and
    its stats rows keyed by comparison."""
    if len(folders) < 2:
        raise VicariousError("compare needs two or more study folders (e.g. the same study in rate and spiking mode)")
    specs = [read_study(folder)["spec"] for folder in folders]
    modes = [spec.get("mode", "?") for spec in specs]
    labels = modes if len(set(modes)) == len(modes) else [Path(f).name or str(f) for f in folders]
    if len(set(labels)) < len(labels):
        labels = [str(f) for f in folders]
    stats = []
    for folder, spec in zip(folders, specs):
        swept = tuple(spec.get("grid", {}))
        stats.append({_key(row, swept): row for row in read_stats(Path(folder) / STATS_CSV)})
    return labels, stats


def _key(row, swept):
    point = ", ".join(f"{k}={row[k]}" for k in swept)
    return tuple(row[k] for k in KEY) + (point,)


def compare(folders):
    """``(labels, rows)``: one row per comparison found in any study, with each study's g, CI, p_holm and
    verdict under its label, and ``agree``."""
    labels, stats = load(folders)
    keys = list(dict.fromkeys(key for table in stats for key in table))
    if not any(all(key in table for table in stats) for key in keys):
        raise VicariousError("the studies have no comparison in common (paradigm, phase, measure, condition, "
                             "lesion and grid point must match)")
    rows = []
    for key in keys:
        row = dict(zip(KEY + ("point",), key))
        verdicts = []
        for label, table in zip(labels, stats):
            found = table.get(key)
            verdicts.append(verdict(found))
            for field in ("hedges_g", "g_ci_low", "g_ci_high", "p_holm", "mean_lesion", "mean_intact"):
                row[f"{field}_{label}"] = found[field] if found else math.nan
            row[f"verdict_{label}"] = verdicts[-1]
        row["agree"] = "yes" if len(set(verdicts)) == 1 else "no"
        rows.append(row)
    return labels, rows


def columns(labels):
    per = ("mean_intact", "mean_lesion", "hedges_g", "g_ci_low", "g_ci_high", "p_holm", "verdict")
    return KEY + ("point",) + tuple(f"{field}_{label}" for label in labels for field in per) + ("agree",)


def write_csv(path, labels, rows, replace=False):
    """Write the side-by-side table to ``path`` atomically; an existing file is refused unless ``replace``
    (a reproduction remakes its own tables)."""
    path = Path(path)
    if path.exists() and not replace:
        raise VicariousError(f"{str(path)!r} exists; give a new file name (nothing was overwritten)")
    if not path.parent.is_dir():
        raise VicariousError(f"cannot write {str(path)!r}: no folder {str(path.parent)!r}")
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(handle, columns(labels))
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, path)


def cell(row, label):
    """One study's side of a row as text: ``g [low, high] verdict``, or the two groups' means where g is
    undefined (``lesion vs intact``)."""
    g, mark = row[f"hedges_g_{label}"], row[f"verdict_{label}"]
    if math.isfinite(g):
        return f"{g:+.2f} [{row[f'g_ci_low_{label}']:+.2f}, {row[f'g_ci_high_{label}']:+.2f}] {mark}"
    lesion, intact = row[f"mean_lesion_{label}"], row[f"mean_intact_{label}"]
    if math.isfinite(lesion) or math.isfinite(intact):
        return f"means {_number(lesion)} vs {_number(intact)} {mark}"
    return mark


def _number(value):
    return f"{value:.3g}" if math.isfinite(value) else "none"


def text_table(labels, rows):
    """The table as aligned text: one line per comparison, g [CI] and verdict per study."""
    head = ["measure", "condition", "lesion"] + [f"g {label} [95% CI]" for label in labels] + ["agree"]
    body = [[f"{r['phase']}/{r['measure']}" + (f" ({r['point']})" if r["point"] else ""), r["condition"],
             r["lesion"]] + [cell(r, label) for label in labels] + [r["agree"]] for r in rows]
    widths = [max(len(str(x)) for x in column) for column in zip(head, *body)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip() for line in [head, *body]]
    return "\n".join(lines)

