"""Lesion studies: grid expansion, resume after a kill, spec checks, the tidy table, statistics, CLI.

The runs use a tiny fear-conditioning (one trial per phase and session, about a second
each) in this process (``workers=0``); one test uses the real LocalCluster.
"""

import csv
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from circuits.cli import main
from circuits.results import RESULT_COLUMNS, load_rows
from circuits.stats import (
    bootstrap_ci,
    compare,
    correction,
    hedges_g,
    holm,
    mann_whitney,
    parse_effect,
    read_stats,
    resolve_effects,
    write_stats,
)
from circuits.study import (
    LOCK,
    RUNS,
    STUDY_FILE,
    TABLE_CSV,
    load_table,
    make_spec,
    parse_lesion_list,
    run_study,
    split_values,
)
from figures.study import graded_lesions, severity, severity_series
from regions.errors import VicariousError

TINY = ["paradigm.sessions=1", "paradigm.trials=2", "paradigm.habituation_trials=1", "paradigm.test_trials=1"]
TINY_ARGS = [arg for item in TINY for arg in ("--set", item)]


def spec(lesions="amygdala", seeds=2, sets=TINY):
    return make_spec("fear-conditioning", lesions=lesions, seeds=seeds, sets=sets)


def snapshot(study):
    """run id -> {file: mtime_ns} of every finished run."""
    return {run.name: {f.name: f.stat().st_mtime_ns for f in run.iterdir()}
            for run in sorted((study / RUNS).iterdir())}


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A complete study, run in this process: intact and amygdala, 2 seeds (4 runs)."""
    out = tmp_path_factory.mktemp("study") / "fc"
    result = run_study(spec(), out, workers=0, progress=False)
    assert result.failures == [] and result.new == 4
    return out


@pytest.fixture
def copy(finished, tmp_path):
    out = tmp_path / "fc"
    shutil.copytree(finished, out)
    return out


# -- the spec -------------------------------------------------------------------------------------------------
def test_grid_expands_to_the_cartesian_product():
    s = make_spec("fear-conditioning", lesions="amygdala,none,cortex-amygdala:0.5", seeds=2,
                  sets=["paradigm.trials=2,3", "paradigm.sessions=1", "paradigm.test_trials=1,2"])
    assert s.lesions == ("intact", "amygdala", "cortex-amygdala:0.5")
    assert s.fixed == (("paradigm.sessions", "1"),)
    assert s.grid_keys == ("paradigm.trials", "paradigm.test_trials")
    assert s.points() == [(("paradigm.trials", "2"), ("paradigm.test_trials", "1")),
                          (("paradigm.trials", "2"), ("paradigm.test_trials", "2")),
                          (("paradigm.trials", "3"), ("paradigm.test_trials", "1")),
                          (("paradigm.trials", "3"), ("paradigm.test_trials", "2"))]
    jobs = s.jobs()
    assert len(jobs) == 3 * 4 * 2
    ids = [job.run_id for job in jobs]
    assert len(set(ids)) == len(ids) and ids == [job.run_id for job in s.jobs()]  # unique and deterministic
    assert ids[0].startswith("intact-s0-") and jobs[-1].run_id.startswith("cortex-amygdala-0.5-s1-")
    assert "paradigm.trials=3" in jobs[-1].sets and "paradigm.sessions=1" in jobs[-1].sets


def test_run_id_depends_on_everything_that_changes_the_numbers():
    base = spec(lesions="", seeds=1).jobs()[0]
    others = [spec(lesions="", seeds=2).jobs()[1],  # seed
              spec(lesions="amygdala", seeds=1).jobs()[1],  # lesion
              spec(lesions="", seeds=1, sets=[*TINY[:1], "paradigm.trials=3", *TINY[2:]]).jobs()[0],  # parameter
              make_spec("fear-conditioning", "", 1, TINY, mode="spiking").jobs()[0]]  # mode
    assert len({base.run_id, *(job.run_id for job in others)}) == 5


def test_value_lists_and_lesion_lists():
    assert split_values(r"sight\,sound,smell") == ["sight,sound", "smell"]
    assert split_values("20*ms, 30*ms") == ["20*ms", "30*ms"]
    assert parse_lesion_list("") == ("intact",)
    assert parse_lesion_list("amygdala + vta,none,amygdala+vta") == ("intact", "amygdala+vta")


@pytest.mark.parametrize("sets, fragment", [
    (["paradigm.trials=2,2"], "twice"),
    (["paradigm.trials=2", "paradigm.trials=3"], "given twice"),
    (["paradigm.trials=2,"], "no empty value"),
    (["paradigm.trials"], "expected KEY=VALUE"),
    (["paradigm.trials=2,x"], "paradigm.trials"),
])
def test_bad_sets(sets, fragment):
    with pytest.raises(VicariousError, match=fragment):
        make_spec("fear-conditioning", "", 1, sets)


# -- running, storing, resuming -------------------------------------------------------------------------------
def test_finished_study_holds_every_run_and_one_tidy_table(finished):
    ids = [job.run_id for job in spec().jobs()]
    assert sorted(p.name for p in (finished / RUNS).iterdir()) == sorted(ids)
    for run in (finished / RUNS).iterdir():
        assert {"results.csv", "config.json", "provenance.json"} <= {f.name for f in run.iterdir()}
    with open(finished / TABLE_CSV, newline="") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == [*RESULT_COLUMNS, "run_id"]
    expected = sum(len(load_rows(finished / RUNS / i)) for i in ids)
    assert len(table) == expected and {r["run_id"] for r in table} == set(ids)
    assert {(r["lesion"], r["seed"]) for r in table} == {(name, str(seed)) for name in ("intact", "amygdala")
                                                         for seed in (0, 1)}
    parquet = load_table(finished)
    assert len(parquet) == expected and parquet[0]["seed"] == 0 and isinstance(parquet[0]["value"], float)
    assert [float(r["value"]) for r in table] == [r["value"] for r in parquet]
    record = json.loads((finished / STUDY_FILE).read_text())
    assert record["complete"] and record["runs"] == {"total": 4, "finished": 4, "failed": []}
    assert record["spec"]["lesions"] == ["intact", "amygdala"] and record["mode"] == "rate"
    assert record["provenance"]["brian2"] and record["provenance"]["dask"]
    stats = read_stats(finished / "stats.csv")
    assert {(r["measure"], r["lesion"]) for r in stats} == {(m, "amygdala") for m in
                                                            ("freezing", "bla_tone", "cea_tone", "pag_vl_tone")}
    assert next(r for r in stats if r["measure"] == "bla_tone")["note"] == "no values under the lesion"


def test_killed_study_resumes_without_losing_or_repeating_runs(tmp_path):
    out = tmp_path / "fc"
    ran = []

    def stop_after_two(job):
        ran.append(job.run_id)
        if len(ran) == 2:
            raise KeyboardInterrupt  # the study is stopped midway, as by Ctrl-C or a crash

    with pytest.raises(KeyboardInterrupt):
        run_study(spec(), out, workers=0, progress=False, on_run=stop_after_two)
    assert sorted(p.name for p in (out / RUNS).iterdir()) == sorted(ran)
    assert not (out / LOCK).exists() and not (out / TABLE_CSV).exists()
    assert json.loads((out / STUDY_FILE).read_text())["complete"] is False
    before = snapshot(out)
    # what a SIGKILL leaves: a half-written run folder and the lock of a dead process
    (out / RUNS / f"{ran[0]}.tmp-{os.getpid() + 1}").mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    (out / LOCK).write_text(f"{os.uname().nodename} {dead}\n")

    resumed = []
    result = run_study(spec(), out, workers=0, progress=False, on_run=lambda job: resumed.append(job.run_id))
    ids = [job.run_id for job in spec().jobs()]
    assert sorted(resumed) == sorted(set(ids) - set(ran)) and (result.reused, result.new) == (2, 2)
    after = snapshot(out)
    assert sorted(after) == sorted(ids)
    assert {k: after[k] for k in before} == before  # finished runs were not rewritten
    assert {r["run_id"] for r in load_table(out)} == set(ids)

    shutil.rmtree(out / RUNS / ids[1])  # a lost run is redone, and only that one
    again = []
    run_study(spec(), out, workers=0, progress=False, on_run=lambda job: again.append(job.run_id))
    assert again == [ids[1]]
    assert {k: v for k, v in snapshot(out).items() if k != ids[1]} == {k: v for k, v in after.items() if k != ids[1]}


def test_same_seed_same_numbers_when_resumed(finished, copy):
    shutil.rmtree(copy / RUNS / spec().jobs()[0].run_id)
    run_study(spec(), copy, workers=0, progress=False)
    assert (copy / TABLE_CSV).read_bytes() == (finished / TABLE_CSV).read_bytes()


def test_another_spec_is_refused_unless_force(copy, capsys):
    code = main(["study", "fear-conditioning", "--lesions", "vta", "--seeds", "2", *TINY_ARGS, "--workers", "0",
                 "--out", str(copy), "--no-figures", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and err.strip().splitlines()[-1].startswith("vicarious: error: ")
    assert "holds a different study" in err and "lesions" in err and "--force" in err
    assert json.loads((copy / STUDY_FILE).read_text())["spec"]["lesions"] == ["intact", "amygdala"]
    intact = sorted(p.name for p in (copy / RUNS).iterdir() if p.name.startswith("intact"))
    mtimes = {k: v for k, v in snapshot(copy).items() if k in intact}
    # --force redefines the study: the intact runs it shares are kept as they were, the amygdala runs go
    assert main(["study", "fear-conditioning", "--seeds", "2", *TINY_ARGS, "--workers", "0", "--out", str(copy),
                 "--no-figures", "--quiet", "--force"]) == 0
    assert snapshot(copy) == mtimes
    assert "(2 runs: 0 new, 2 already done, 0 failed)" in capsys.readouterr().out


def test_a_non_study_folder_is_refused(tmp_path, capsys):
    (tmp_path / "results.csv").write_text("x\n")
    code = main(["study", "fear-conditioning", *TINY_ARGS, "--workers", "0", "--out", str(tmp_path)])
    assert code == 2 and "is not a study folder" in capsys.readouterr().err


def test_failed_run_is_reported_and_the_others_kept(tmp_path, capsys):
    out = tmp_path / "fc"
    sets = [arg for item in TINY[:3] for arg in ("--set", item)]
    code = main(["study", "fear-conditioning", "--seeds", "1", *sets, "--set", "neuron.max_rate=10*Hz,500*Hz",
                 "--set", "paradigm.test_trials=1,2", "--workers", "0", "--out", str(out), "--no-figures", "--quiet"])
    captured = capsys.readouterr()
    assert code == 2 and "Traceback" not in captured.err
    failed = [line for line in captured.err.splitlines() if line.startswith("vicarious: run ")]
    assert len(failed) == 2 and all("neuron.max_rate=10*Hz" in line and "diverged" in line for line in failed)
    assert captured.err.strip().splitlines()[-1].startswith("vicarious: error: 2 of 4 runs failed")
    assert len(list((out / RUNS).iterdir())) == 2
    table = load_table(out)  # the swept columns: text where values carry units, numbers where they are plain
    assert {(r["neuron.max_rate"], r["paradigm.test_trials"]) for r in table} == {("500*Hz", 1), ("500*Hz", 2)}
    record = json.loads((out / STUDY_FILE).read_text())
    assert record["complete"] is False and "diverged" in record["runs"]["failed"][0]["error"]
    assert len(read_stats(out / "stats.csv")) == 0  # intact only: nothing to compare


def test_local_cluster_gives_the_same_table(finished, tmp_path, capsys):
    """The default executor: a LocalCluster of worker processes (here 2)."""
    out = tmp_path / "fc"
    assert main(["study", "fear-conditioning", "--lesions", "amygdala", "--seeds", "2", *TINY_ARGS,
                 "--workers", "2", "--out", str(out), "--no-figures"]) == 0
    assert "(4 runs: 4 new, 0 already done, 0 failed)" in capsys.readouterr().out
    assert (out / TABLE_CSV).read_bytes() == (finished / TABLE_CSV).read_bytes()  # same seeds, same numbers


def test_figures_of_a_study(copy, capsys):
    assert main(["figures", str(copy)]) == 0
    paths = [Path(line.removeprefix("figure: ")) for line in capsys.readouterr().out.splitlines()]
    names = {p.name for p in paths}
    assert {"lesion_effects_fear-conditioning.png", "circuit-amygdala.png", "fear_conditioning.png"} <= names
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)


def test_graded_lesions_and_their_severity_series(tmp_path):
    graded = graded_lesions(("intact", "psychopathy:0.5", "psychopathy", "amygdala", "vta:0.5+amygdala",
                             "cut:cortex_to_bla"))
    assert graded == {"psychopathy": {0.0: "intact", 0.5: "psychopathy:0.5", 1.0: "psychopathy"}}
    rows = [{"paradigm": "fear-conditioning", "condition": "tone", "lesion": lesion, "seed": seed, "phase": "test",
             "session": session, "measure": "freezing", "value": (1.0 - level) * (session + 1) + 0.01 * seed}
            for lesion, level in (("intact", 0.0), ("psychopathy:0.5", 0.5), ("psychopathy", 1.0), ("amygdala", 1.0))
            for seed in range(3) for session in (0, 1)]
    series = severity_series(rows, graded)
    assert list(series) == [("psychopathy", ())]  # the last session only, one value per seed
    assert series["psychopathy", ()] == {0.0: [2.0, 2.01, 2.02], 0.5: [1.0, 1.01, 1.02], 1.0: [0.0, 0.01, 0.02]}
    paths = severity(rows, graded, [("test", "freezing", "tone")], (), tmp_path, "fear-conditioning", "rate")
    assert [p.name for p in paths] == ["severity_fear-conditioning.png", "severity_fear-conditioning.pdf"]


# -- statistics -----------------------------------------------------------------------------------------------
def test_hedges_g_against_hand_computed_values():
    # means 4.5 and 2.5, both variances 5/3: pooled SD sqrt(5/3), d = 2 / 1.2910 = 1.5492;
    # J(6) = Gamma(3) / (sqrt(3) Gamma(2.5)) = 2 / (1.7321 * 1.3293) = 0.86863; g = 1.34567
    assert correction(6) == pytest.approx(0.868627, abs=1e-6)
    assert hedges_g([3, 4, 5, 6], [1, 2, 3, 4]) == pytest.approx(1.345674, abs=1e-5)
    assert hedges_g([1, 2, 3, 4], [3, 4, 5, 6]) == pytest.approx(-1.345674, abs=1e-5)
    # unequal n: x = [2, 4, 6] (mean 4, var 4), y = [1, 1, 2, 4] (mean 2, var 2); pooled var (8 + 6) / 5 = 2.8
    j5 = math.exp(math.lgamma(2.5) - math.lgamma(2.0)) / math.sqrt(2.5)
    assert hedges_g([2, 4, 6], [1, 1, 2, 4]) == pytest.approx(j5 * 2 / math.sqrt(2.8))
    assert correction(1000) == pytest.approx(1 - 3 / (4 * 1000 - 1), abs=1e-6)  # Hedges' approximation
    assert math.isnan(hedges_g([0, 0, 0], [0, 0, 0])) and math.isnan(hedges_g([1], [1, 2, 3]))


def test_holm_against_a_known_vector():
    p = [0.01, 0.04, 0.03, 0.005, math.nan]
    # sorted 0.005, 0.01, 0.03, 0.04 (m = 4): 0.02, 0.03, 0.06, max(0.06, 0.04) = 0.06
    assert holm(p)[:4] == pytest.approx([0.03, 0.06, 0.06, 0.02]) and math.isnan(holm(p)[4])
    assert list(holm([0.5, 0.9])) == [1.0, 1.0]


def test_mann_whitney_and_bootstrap():
    assert mann_whitney([1, 2, 3], [4, 5, 6]) == (0.0, pytest.approx(0.1))  # exact: 2 / C(6, 3)
    assert mann_whitney([0, 0], [0, 0, 0]) == (3.0, 1.0)
    x, y = [1.0, 1.5, 2.2, 2.9, 3.1], [0.2, 0.4, 0.9, 1.3, 1.1]
    low, high, undefined = bootstrap_ci(x, y, n_boot=2000, seed=3, name="a")
    assert low < hedges_g(x, y) < high and undefined == 0
    assert bootstrap_ci(x, y, n_boot=2000, seed=3, name="a") == (low, high, undefined)  # seeded
    assert bootstrap_ci(x, y, n_boot=2000, seed=4, name="a") != (low, high, undefined)


def test_bootstrap_leaves_out_resamples_whose_groups_are_constant():
    """Resampled groups of equal values have a variance of rounding error, not an effect size of 1e15."""
    low, high, undefined = bootstrap_ci([0.0, 0.0, 0.0], [0.34, 0.33, 0.23], n_boot=2000, seed=0, name="b")
    assert -100 < low < high < 0 and 0 < undefined < 0.2  # measured: -66, -4.7, 11% left out
    assert math.isnan(hedges_g([0.1, 0.1, 0.1], [0.1, 0.1, 0.1]))


def test_compare_a_synthetic_table(tmp_path):
    rng = np.random.default_rng(0)
    rows = []
    for lesion, shift in (("intact", 0.0), ("amygdala", -2.0), ("vta", 0.0)):
        for level in ("2", "4"):
            for seed in range(6):
                for session in (0, 1):  # only the last session counts
                    value = (5.0 if session == 1 else 100.0) + shift + rng.normal(0, 0.3)
                    rows.append({"paradigm": "fear-conditioning", "condition": "tone", "lesion": lesion,
                                 "seed": seed, "phase": "test", "session": session, "measure": "freezing",
                                 "value": value, "paradigm.trials": level})
    stats = compare(rows, [("test", "freezing", None)], ("paradigm.trials",), n_boot=500)
    assert [(r["lesion"], r["paradigm.trials"]) for r in stats] == [("amygdala", "2"), ("vta", "2"),
                                                                    ("amygdala", "4"), ("vta", "4")]
    amygdala = [r for r in stats if r["lesion"] == "amygdala"]
    assert all(r["session"] == 1 and r["n_lesion"] == r["n_intact"] == 6 for r in stats)
    assert all(r["hedges_g"] < -3 and r["g_ci_high"] < 0 and r["p"] == pytest.approx(0.0021645, rel=1e-3)
               for r in amygdala)  # complete separation, exact two-sided p = 2 / C(12, 6)
    assert [r["p_holm"] for r in amygdala] == pytest.approx([4 * 0.0021645] * 2, rel=1e-3)
    write_stats(tmp_path / "stats.csv", stats, ("paradigm.trials",))
    back = read_stats(tmp_path / "stats.csv")
    assert [r["hedges_g"] for r in back] == pytest.approx([r["hedges_g"] for r in stats])


def test_effects():
    assert resolve_effects("fear-conditioning")[0] == ("test", "freezing", None)
    assert resolve_effects("fear-conditioning", ["test/bla_tone/tone"]) == (("test", "bla_tone", "tone"),)
    assert parse_effect("a/b") == ("a", "b", None)
    with pytest.raises(VicariousError, match="did you mean 'freezing'"):
        resolve_effects("fear-conditioning", ["test/freezin"])


# -- the command line -----------------------------------------------------------------------------------------
def test_study_help_teaches(capsys):
    assert main(["study", "--help"]) == 0
    out = capsys.readouterr().out
    for word in ("examples:", "--lesions", "resume", "Hedges", "--scheduler", "--workers", "study.csv", "severities"):
        assert word in out


@pytest.mark.parametrize("argv, fragments", [
    (["study", "fear-conditionin"], ["unknown paradigm", "did you mean 'fear-conditioning'"]),
    (["study", "fear-conditioning", "--lesions", "amygdal"], ["unknown lesion", "did you mean 'amygdala'"]),
    (["study", "fear-conditioning", "--lesions", "amygdala,,vta"], ["empty lesion name"]),
    (["study", "fear-conditioning", "--set", "paradigm.trials=2,many"], ["paradigm.trials", "cannot read"]),
    (["study", "fear-conditioning", "--set", "cortx.tau=20*ms"], ["did you mean 'cortex'"]),
    (["study", "fear-conditioning", "--set", "paradigm.trials=2,,3"], ["no empty value"]),
    (["study", "fear-conditioning", "--seeds", "0"], ["--seeds"]),
    (["study", "fear-conditioning", "--mode", "spiky"], ["unknown mode"]),
    (["study", "fear-conditioning", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], ["--scheduler"]),
    (["study", "fear-conditioning", "--effects", "test"], ["PHASE/MEASURE"]),
    (["study", "fear-conditioning", "--effects", "test/freezin", "--workers", "0"], ["did you mean 'freezing'"]),
])
def test_bad_input_is_one_line_with_status_2(argv, fragments, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("vicarious: error: ")
    for fragment in fragments:
        assert fragment in err
    assert list(tmp_path.iterdir()) == []
