"""Figures are made from a result folder (never by simulating) and the circuit drawing marks lesions."""

import csv
import json
import math

import pytest

from circuits.graph import default_circuit
from circuits.lesions import apply_lesions
from circuits.results import RESULT_COLUMNS, TRACE_COLUMNS, load_rows
from figures import FIGURES, make_figures
from figures.circuit import draw_circuit
from figures.style import ci95, ci_note
from regions.errors import VicariousError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def fake_result(folder, seeds=3, sessions=4, lesion="intact", measures=None, traces=True,
                paradigm="cue-conditioning"):
    """A synthetic cue-conditioning result folder: learning curves that rise with the session."""
    measures = measures or ("press_probability", "freezing", "da_cue", "da_outcome", "bla_cue", "value_cue")
    folder.mkdir(parents=True, exist_ok=True)
    rows, trace_rows = [], []
    for seed in range(seeds):
        for session in range(sessions):
            f = session / max(1, sessions - 1)
            wobble = 0.03 * math.sin(seed + 3 * session)
            values = {
                ("light", "press_probability"): 0.2 + 0.7 * f, ("tone", "press_probability"): 0.2 - 0.1 * f,
                ("light", "freezing"): 0.05, ("tone", "freezing"): 0.05 + 0.6 * f,
                ("light", "da_cue"): 8 * f, ("light", "da_outcome"): 10 * (1 - f),
                ("tone", "da_cue"): -2 * f, ("tone", "da_outcome"): -5.0,
                ("light", "bla_cue"): 5.0, ("tone", "bla_cue"): 5 + 10 * f,
                ("light", "value_cue"): 3 + 8 * f, ("tone", "value_cue"): 3.0,
            }
            for (condition, measure), value in values.items():
                if measure in measures:
                    rows.append([paradigm, condition, lesion, seed, "rate", "training", session, measure,
                                 value + wobble])
            if traces and session in (0, sessions - 1):
                for step in range(16):
                    time = (step - 4) * 0.05
                    value = (10 * f if 0 <= time < 0.1 else 0) + (10 * (1 - f) if 0.4 <= time < 0.5 else 0)
                    for condition in ("light", "tone"):
                        trace_rows.append([paradigm, condition, lesion, seed, "training", session, "vta", time,
                                           value + wobble])
    _write(folder / "results.csv", RESULT_COLUMNS, rows)
    if trace_rows:
        _write(folder / "traces.csv", TRACE_COLUMNS, trace_rows)
    config = {"paradigm": paradigm, "lesions": [] if lesion == "intact" else [lesion],
              "paradigm_params": {"sessions": sessions, "step": "50. * msecond", "iti_steps": 4, "cue_steps": 8,
                                  "outcome_steps": 4}}
    (folder / "config.json").write_text(json.dumps(config))
    (folder / "provenance.json").write_text(json.dumps({"vicarious": "test"}))
    return folder


def _write(path, columns, rows):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)


def _check_outputs(paths, folder):
    assert paths, "no figure written"
    suffixes = {p.suffix for p in paths}
    assert suffixes == {".png", ".pdf"}
    for path in paths:
        assert path.parent == folder and path.is_file() and path.stat().st_size > 5000, path
        head = path.read_bytes()[:8]
        assert head == PNG_MAGIC if path.suffix == ".png" else head.startswith(b"%PDF")


def test_make_figures_writes_png_and_pdf(tmp_path):
    folder = fake_result(tmp_path / "run")
    paths = make_figures(folder)
    _check_outputs(paths, folder / "figures")
    assert {p.stem for p in paths} == {"cue_conditioning", "cue_conditioning_activity"}
    assert "cue-conditioning" in FIGURES


def test_missing_measures_and_lesion_comparison(tmp_path):
    """A lesion that removed freezing, dopamine and traces still gets a figure, and lesions compare."""
    intact = fake_result(tmp_path / "intact")
    lesioned = fake_result(tmp_path / "pag", lesion="pag", measures=("press_probability", "bla_cue"), traces=False)
    _check_outputs(make_figures(lesioned), lesioned / "figures")
    out = tmp_path / "compare"
    paths = make_figures(intact, out_dir=out, compare=[lesioned])
    _check_outputs(paths, out)


def test_single_seed(tmp_path):
    folder = fake_result(tmp_path / "one", seeds=1)
    _check_outputs(make_figures(folder), folder / "figures")


def test_errors_are_clear(tmp_path):
    with pytest.raises(VicariousError, match="no result folder"):
        make_figures(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(VicariousError, match="no results.csv"):
        make_figures(tmp_path / "empty")
    other = fake_result(tmp_path / "other", paradigm="no-such-paradigm", traces=False)
    with pytest.raises(VicariousError, match="no figure for paradigm 'no-such-paradigm'"):
        make_figures(other)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "results.csv").write_text("paradigm,condition\ncue-conditioning,light\n")
    with pytest.raises(VicariousError, match="lacks the column"):
        make_figures(bad)
    assert not (bad / "figures").exists()


def test_result_rows_convert_numbers(tmp_path):
    folder = fake_result(tmp_path / "run", seeds=2, sessions=2)
    rows = load_rows(folder)
    assert {type(r["seed"]) for r in rows} == {int} and {type(r["value"]) for r in rows} == {float}


def test_ci95_uses_the_t_distribution():
    mean, half, n = ci95([1.0, 2.0, 3.0])
    assert (mean, n) == (2.0, 3)
    assert half == pytest.approx(4.302653 / math.sqrt(3), rel=1e-5)  # t(0.975, 2) * sd / sqrt(n)
    assert math.isnan(ci95([5.0])[1])
    assert ci_note([3, 3]) == "mean ± 95% CI across seeds (n = 3)"


def test_draw_circuit_intact_and_lesioned(tmp_path):
    graph = default_circuit()
    path = draw_circuit(graph, graph, tmp_path / "circuit.png")
    assert path.read_bytes()[:8] == PNG_MAGIC and path.stat().st_size > 20000
    specs = ["amygdala", "cortex-striatum:0.5", "acc-insula"]
    lesioned = apply_lesions(graph, specs)
    path = draw_circuit(graph, lesioned, tmp_path / "lesioned.pdf", lesions=specs)
    assert path.read_bytes()[:4] == b"%PDF" and path.stat().st_size > 10000
    with pytest.raises(VicariousError, match="extension"):
        draw_circuit(graph, lesioned, tmp_path / "circuit.svgz")


def test_the_trapped_cagemate_figure_draws_days_on_which_no_animal_or_every_animal_opened(tmp_path):
    """The Wilson interval of 0 of 24 (or 24 of 24) contains its proportion exactly: rounding had left the lower
    bound 1e-17 above 0, and the error bar refused the negative length."""
    import numpy as np

    from figures.trapped_cagemate import figures, wilson
    for n in range(1, 60):
        low, high = wilson(np.array([0, n]), np.array([n, n]))
        assert low[0] == 0.0 and high[1] == 1.0, n
    rows = [{"paradigm": "trapped-cagemate", "condition": "empty", "lesion": "intact", "mode": "rate", "seed": seed,
             "phase": "sessions", "session": day, "measure": measure, "value": value}
            for seed in range(24) for day in range(3)
            for measure, value in (("opened", float(day == 2)), ("latency", 25.0 - 10 * (day == 2)),
                                   ("near_restrainer", 0.3))]
    _check_outputs(figures(rows, [], tmp_path), tmp_path)
