"""Run a resolved configuration over its seeds and write the result folder."""

import sys

from tqdm import tqdm

from circuits.cohorts import cohorts
from circuits.paradigms import PARADIGMS
from circuits.results import atomic_folder, utc_now, write_result
from circuits.simulation import interruptible, setup_brian2


def simulate(config, progress=True):
    """Run every seed of ``config`` in cohorts (:mod:`circuits.arena`); return the paradigm's rows,
    seed by seed, with run columns added."""
    paradigm = PARADIGMS[config.paradigm]
    groups = cohorts(config.seeds, config.cohort)
    total = len(groups) * paradigm.total_sessions(config.params)
    show = progress and sys.stderr.isatty()
    rows = []
    setup_brian2()
    with interruptible(), tqdm(total=total, desc=config.paradigm, unit="session", disable=not show) as bar:
        for group in groups:
            bar.set_postfix(seeds=f"{group[0]}-{group[-1]}" if len(group) > 1 else group[0])
            graph = config.circuit()
            for row in paradigm.run(graph, config.params, group, config.sim_options(), progress=bar.update):
                if row["phase"] not in paradigm.phases:
                    raise AssertionError(f"{config.paradigm} wrote a row of the undeclared phase {row['phase']!r}")
                rows.append({"paradigm": config.paradigm, "lesion": config.lesion_label, "mode": config.mode, **row})
    order = {seed: i for i, seed in enumerate(config.seeds)}
    rows.sort(key=lambda row: order[row["seed"]])  # stable: each seed's rows in their order
    return rows


def run(config, out_dir, force=False, progress=True):
    """Simulate ``config`` and write its result folder ``out_dir`` atomically; return the rows.

    An existing ``out_dir`` is refused unless ``force`` (and then replaced only once the
    new result is complete). Any failure leaves no new folder behind.
    """
    started = utc_now()
    with atomic_folder(out_dir, force) as folder:
        rows = simulate(config, progress)
        write_result(folder, rows, config, started)
    return rows
