"""Result folders: atomic writes, reading back, the summary table, provenance."""

import csv
import json

import pytest

from circuits.config import resolve
from circuits.results import (
    RESULT_COLUMNS,
    TRACE_COLUMNS,
    atomic_folder,
    check_result_dir,
    git_state,
    load_rows,
    mark,
    summary_table,
    write_result,
)
from regions.errors import VicariousError

PROVENANCE_KEYS = {"vicarious", "git_revision", "git_dirty", "brian2", "numpy", "scipy", "networkx", "python",
                   "mode", "seeds", "codegen", "command", "started", "ended"}


@pytest.fixture(scope="module")
def config():
    return resolve("cue-conditioning", seeds=2)


def make_rows(sessions=2, seeds=(0, 1)):
    rows = []
    for seed in seeds:
        for session in range(sessions):
            base = {"paradigm": "cue-conditioning", "lesion": "intact", "seed": seed, "mode": "rate",
                    "condition": "tone", "phase": "training", "session": session}
            rows.append(base | {"measure": "freezing", "value": 0.1 * seed + session})
            rows.append(base | {"measure": "vta", "time": 0.05 * session, "value": 1.5})
    return rows


def test_write_and_load_round_trip(tmp_path, config):
    rows = make_rows()
    write_result(tmp_path, rows, config, "2024-01-01T00:00:00+00:00")
    with open(tmp_path / "results.csv", newline="") as handle:
        assert tuple(next(csv.reader(handle))) == RESULT_COLUMNS
    with open(tmp_path / "traces.csv", newline="") as handle:
        assert tuple(next(csv.reader(handle))) == TRACE_COLUMNS
    loaded = load_rows(tmp_path)
    assert len(loaded) == 4
    assert loaded[3] == {"paradigm": "cue-conditioning", "condition": "tone", "lesion": "intact", "seed": 1,
                         "mode": "rate", "phase": "training", "session": 1, "measure": "freezing", "value": 1.1}
    traces = load_rows(tmp_path, traces=True)
    assert len(traces) == 4 and traces[1]["time"] == 0.05 and "mode" not in traces[1]
    assert json.loads((tmp_path / "config.json").read_text()) == config.as_dict()
    provenance = json.loads((tmp_path / "provenance.json").read_text())
    assert PROVENANCE_KEYS <= set(provenance)
    assert provenance["seeds"] == [0, 1] and provenance["started"].startswith("2024")


def test_no_traces_file_without_trace_rows(tmp_path, config):
    write_result(tmp_path, [r for r in make_rows() if "time" not in r], config, "t0")
    assert not (tmp_path / "traces.csv").exists()
    assert load_rows(tmp_path, traces=True) == []


def test_summary_table_uses_last_session_across_seeds():
    text = summary_table(make_rows(sessions=3))
    lines = text.splitlines()
    assert "cue-conditioning (intact, rate)" in lines[0]
    assert len(lines) == 3  # title, header, one (condition, phase, measure)
    # last session 2: values 2.0 and 2.1 -> mean 2.05, SD 0.0707
    assert "tone" in lines[2] and "freezing" in lines[2] and "2.05 ± 0.0707" in lines[2] and lines[2].endswith("2")


def test_summary_table_is_short():
    rows = [{"paradigm": "p", "lesion": "intact", "mode": "rate", "seed": 0, "condition": f"c{i}", "phase": "x",
             "session": 0, "measure": "m", "value": 1.0} for i in range(100)]
    assert len(summary_table(rows).splitlines()) <= 45


def test_atomic_folder_success(tmp_path):
    out = tmp_path / "deep" / "result"
    with atomic_folder(out) as folder:
        (folder / "a.txt").write_text("x")
        assert not out.exists()
    assert (out / "a.txt").read_text() == "x"
    assert sorted(p.name for p in out.parent.iterdir()) == ["result"]


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt, VicariousError])
def test_atomic_folder_failure_leaves_nothing(tmp_path, error):
    out = tmp_path / "result"
    with pytest.raises(error):
        with atomic_folder(out) as folder:
            (folder / "a.txt").write_text("x")
            raise error("boom")
    assert list(tmp_path.iterdir()) == []


def old_result(tmp_path):
    """A result folder (marked as one) holding old.txt."""
    out = tmp_path / "result"
    out.mkdir()
    (out / "old.txt").write_text("old")
    mark(out, "run")
    return out


def test_atomic_folder_refuses_existing(tmp_path):
    out = old_result(tmp_path)
    with pytest.raises(VicariousError, match="already holds a result.*--force"):
        with atomic_folder(out):
            pass
    assert (out / "old.txt").read_text() == "old"


def test_forced_failure_keeps_old_result_and_forced_success_replaces(tmp_path):
    out = old_result(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        with atomic_folder(out, force=True) as folder:
            (folder / "new.txt").write_text("new")
            raise KeyboardInterrupt
    assert [p.name for p in tmp_path.iterdir()] == ["result"] and (out / "old.txt").exists()
    with atomic_folder(out, force=True) as folder:
        (folder / "new.txt").write_text("new")
    assert [p.name for p in tmp_path.iterdir()] == ["result"]
    assert [p.name for p in out.iterdir()] == ["new.txt"]


def test_force_does_not_replace_a_file(tmp_path):
    out = tmp_path / "result"
    out.write_text("not a folder")
    with pytest.raises(VicariousError, match="not a folder"):
        with atomic_folder(out, force=True):
            pass


def test_check_result_dir(tmp_path):
    with pytest.raises(VicariousError, match="no result folder"):
        check_result_dir(tmp_path / "missing")
    with pytest.raises(VicariousError, match="not a result folder"):
        check_result_dir(tmp_path)


def test_malformed_results_csv_is_a_clear_error(tmp_path):
    (tmp_path / "results.csv").write_text(",".join(RESULT_COLUMNS) + "\np,c,intact,zero,rate,x,0,m,1\n")
    with pytest.raises(VicariousError, match="malformed"):
        load_rows(tmp_path)


def test_git_state():
    revision, dirty = git_state()
    assert revision == "unknown" and dirty is None or len(revision) == 40 and isinstance(dirty, bool)
