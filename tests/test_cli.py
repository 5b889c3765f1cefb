"""The ``vicarious`` command line: runs, result folders, errors, listings, figures and graphs."""

import dataclasses
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from shell import user_env

from circuits.cli import main
from circuits.paradigms import PARADIGMS
from circuits.paradigms.base import Paradigm
from circuits.results import RESULT_COLUMNS
from circuits.simulation import DivergenceError
from regions import REGIONS
from regions.params import Params, param

ROOT = Path(__file__).resolve().parents[1]
TINY = ["--seeds", "1", "--set", "paradigm.sessions=1", "--set", "paradigm.trials=2", "--no-figures", "--quiet"]
PROVENANCE_KEYS = {"vicarious", "git_revision", "git_dirty", "brian2", "numpy", "scipy", "networkx", "python",
                   "mode", "seeds", "codegen", "command", "started", "ended"}


def has(module, attr):
    try:
        return hasattr(importlib.import_module(module), attr)
    except ImportError:
        return False


needs_figures = pytest.mark.skipif(not has("figures", "make_figures"), reason="figures.make_figures not written yet")
needs_draw = pytest.mark.skipif(not has("figures.circuit", "draw_circuit"), reason="figures.circuit not written yet")


@dataclasses.dataclass(frozen=True)
class FakeParams(Params):
    sessions: int = param(2, low=1, high=10, doc="sessions")
    level: float = param(1.0, low=0.0, high=100.0, doc="offset of the score")
    diverge_at: int = param(-1, low=-1, high=10, doc="session that raises DivergenceError (-1: none)")
    interrupt_at: int = param(-1, low=-1, high=10, doc="session that raises KeyboardInterrupt (-1: none)")


class FakeParadigm(Paradigm):
    """Rows without simulating, so runner and CLI tests stay fast."""

    name = "fake"
    description = "fake paradigm for tests"
    Params = FakeParams
    phases = ("training",)
    measures = {"score": "level + seed + session"}

    def total_sessions(self, params):
        return params.sessions

    def run(self, graph, params, seeds, sim_options, progress=None):
        rows = []
        for session in range(params.sessions):
            if session == params.diverge_at:
                raise DivergenceError("simulation diverged in region 'cortex' (fake)")
            if session == params.interrupt_at:
                raise KeyboardInterrupt
            rows += self.rows(seeds, "a", "training", session, "score", [params.level + s + session for s in seeds])
            rows += self.rows(seeds, "a", "training", session, "rate", list(seeds), time=0.05 * session)
            progress()
        return rows


@pytest.fixture
def fake(monkeypatch, tmp_path):
    monkeypatch.setitem(PARADIGMS, "fake", FakeParadigm())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli(*argv):
    return subprocess.run([sys.executable, "-m", "circuits", *argv], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env=user_env())


def assert_error(capsys, code, *fragments):
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("vicarious: error: ")
    for fragment in fragments:
        assert fragment in err
    return err


# -- end-to-end with the real paradigm (subprocess) ------------------------------------------
@pytest.fixture(scope="module")
def real_result(tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "result"
    proc = cli("run", "cue-conditioning", *TINY, "--seeds", "2", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out, proc


def test_module_help():
    proc = cli("--help")
    assert proc.returncode == 0
    assert "examples:" in proc.stdout and "vicarious run" in proc.stdout


def test_real_run_writes_result_folder(real_result):
    out, proc = real_result
    assert f"result: {out}" in proc.stdout
    assert "Traceback" not in proc.stderr
    with open(out / "results.csv", newline="") as handle:
        assert handle.readline().strip() == ",".join(RESULT_COLUMNS)
    provenance = json.loads((out / "provenance.json").read_text())
    assert PROVENANCE_KEYS <= set(provenance) and provenance["seeds"] == [0, 1]
    assert "run" in provenance["command"]
    config = json.loads((out / "config.json").read_text())
    assert config["paradigm"] == "cue-conditioning" and config["paradigm_params"]["sessions"] == 1
    assert [p.name for p in out.parent.iterdir()] == ["result"]


def test_real_divergence_leaves_no_folder(tmp_path):
    out = tmp_path / "result"
    proc = cli("run", "cue-conditioning", *TINY, "--set", "neuron.max_rate=10*Hz", "--out", str(out))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("vicarious: error: simulation diverged")
    assert list(tmp_path.iterdir()) == []


SWALLOWED_CTRL_C = """
import os, signal, sys
from circuits.config import resolve
from circuits.runner import simulate
from circuits.simulation import interruptible
config = resolve("cue-conditioning", seeds=1, sets=["paradigm.sessions=1", "paradigm.trials=2"])
with interruptible():
    try:
        os.kill(os.getpid(), signal.SIGINT)
    except KeyboardInterrupt:
        pass  # what Python does with it inside a weakref or __del__ callback: print it and go on
    try:
        simulate(config, progress=False)
    except KeyboardInterrupt:
        sys.exit(130)
"""


def test_a_ctrl_c_that_python_swallowed_still_stops_the_run():
    """Seen under load: the KeyboardInterrupt landed in a weakref callback, was only printed, and the
    run went on for minutes. The Ctrl-C must still stop the next simulation step."""
    proc = subprocess.run([sys.executable, "-c", SWALLOWED_CTRL_C], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env=user_env())
    assert proc.returncode == 130, proc.stderr


def test_same_seed_gives_identical_results(tmp_path, real_result):
    out = tmp_path / "again"
    assert main(["run", "cue-conditioning", *TINY, "--seeds", "2", "--out", str(out)]) == 0
    assert (out / "results.csv").read_bytes() == (real_result[0] / "results.csv").read_bytes()


def test_default_out_folder_includes_lesion_and_mode(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "cue-conditioning", *TINY, "--lesion", "amygdala:0.5"]) == 0
    out = tmp_path / "results" / "cue-conditioning-amygdala-0.5-rate"
    assert {row.split(",")[2] for row in (out / "results.csv").read_text().splitlines()[1:]} == {"amygdala:0.5"}
    assert "result: results/cue-conditioning-amygdala-0.5-rate" in capsys.readouterr().out


# -- errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize("argv, fragments", [
    (["run", "cue-conditionin"], ["unknown paradigm", "did you mean 'cue-conditioning'"]),
    (["run", "cue-conditioning", "--lesion", "amygdal"], ["unknown lesion", "did you mean 'amygdala'"]),
    (["run", "cue-conditioning", "--lesion", "amygdala:2"], ["severity", "[0, 1]"]),
    (["run", "cue-conditioning", "--set", "cortx.tau=20*ms"], ["unknown --set scope", "did you mean 'cortex'"]),
    (["run", "cue-conditioning", "--set", "cortex.tua=20*ms"], ["unknown parameter", "did you mean 'tau'"]),
    (["run", "cue-conditioning", "--set", "cortex.tau=20"], ["cortex.tau", "no units"]),
    (["run", "cue-conditioning", "--set", "cortex.tau=20*Hz"], ["wrong units"]),
    (["run", "cue-conditioning", "--set", "cortex.tau=5000*ms"], ["out of range", "allowed"]),
    (["run", "cue-conditioning", "--set", "paradigm.sessions=many"], ["paradigm.sessions", "cannot read"]),
    (["run", "cue-conditioning", "--set", "cortex.tau"], ["expected KEY=VALUE"]),
    (["run", "cue-conditioning", "--set", "tau=20*ms"], ["expected KEY=VALUE"]),
    (["run", "cue-conditioning", "--mode", "spiky"], ["unknown mode", "did you mean 'spiking'"]),
    (["run", "cue-conditioning", "--seeds", "0"], ["--seeds"]),
    (["run", "cue-conditioning", "--codegen", "cpp"], ["code-generation target"]),
    (["figures", "no-such-folder"], ["no result folder"]),
    (["graph", "cue-conditionin", "--out", "x.png"], ["did you mean 'cue-conditioning'"]),
    (["graph", "--lesion", "vat", "--out", "x.png"], ["did you mean 'vta'"]),
])
def test_user_errors_are_one_line_with_status_2(argv, fragments, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert_error(capsys, main(argv), *fragments)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv", [["run"], ["run", "cue-conditioning", "--seeds", "x"], ["list", "everything"],
                                  ["graph"], ["frobnicate"], []])
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "usage: vicarious" in err and "vicarious" in err.splitlines()[-1] and "Traceback" not in err


@pytest.mark.parametrize("command", ["run", "figures", "list", "graph"])
def test_subcommand_help_teaches(command, capsys):
    assert main([command, "--help"]) == 0
    assert "example" in capsys.readouterr().out


def test_each_paradigm_has_its_own_default_number_of_animals(capsys):
    from circuits.cli import SEEDS_DEFAULT
    from circuits.config import resolve
    from circuits.paradigms import PARADIGMS
    from circuits.study import make_spec

    assert main(["run", "--help"]) == 0 and SEEDS_DEFAULT in " ".join(capsys.readouterr().out.split())
    for name, paradigm in PARADIGMS.items():
        assert paradigm.seeds == 3 or f"{name} {paradigm.seeds}" in SEEDS_DEFAULT, name
        assert resolve(name).seeds == tuple(range(paradigm.seeds)) == make_spec(name).seeds
    assert PARADIGMS["trapped-cagemate"].seeds == 24 and resolve("trapped-cagemate", seeds=2).seeds == (0, 1)


def test_invalid_result_folder_for_figures(tmp_path, capsys):
    assert_error(capsys, main(["figures", str(tmp_path)]), "not a result folder")


# -- runner behaviour with the fake paradigm --------------------------------------------------
def test_fake_run_writes_results_and_traces(fake, capsys):
    assert main(["run", "fake", "--seeds", "2", "--no-figures"]) == 0
    out = fake / "results" / "fake-rate"
    lines = (out / "results.csv").read_text().splitlines()
    assert lines[0] == ",".join(RESULT_COLUMNS)
    assert lines[1:] == ["fake,a,intact,0,rate,training,0,score,1.0", "fake,a,intact,0,rate,training,1,score,2.0",
                         "fake,a,intact,1,rate,training,0,score,2.0", "fake,a,intact,1,rate,training,1,score,3.0"]
    assert (out / "traces.csv").read_text().splitlines()[2] == "fake,a,intact,0,training,1,rate,0.05,0.0"
    stdout = capsys.readouterr().out
    assert "mean ± SD" in stdout and "2.5 ± 0.707" in stdout


def test_existing_folder_refused_then_force_replaces(fake, capsys):
    assert main(["run", "fake", "--no-figures", "--quiet"]) == 0
    results = fake / "results" / "fake-rate" / "results.csv"
    old = results.read_bytes()
    code = main(["run", "fake", "--no-figures", "--set", "paradigm.level=5"])
    assert_error(capsys, code, "already holds a result", "--force")
    assert results.read_bytes() == old
    assert main(["run", "fake", "--no-figures", "--quiet", "--force", "--set", "paradigm.level=5"]) == 0
    assert results.read_bytes() != old and ",5.0" in results.read_text()
    assert [p.name for p in (fake / "results").iterdir()] == ["fake-rate"]


def test_divergence_midway_leaves_no_folder(fake, capsys):
    code = main(["run", "fake", "--seeds", "3", "--no-figures", "--set", "paradigm.diverge_at=1"])
    assert_error(capsys, code, "simulation diverged")
    assert list(fake.iterdir()) == []  # not even the parent folder it made


def test_failed_forced_run_keeps_old_result(fake, capsys):
    assert main(["run", "fake", "--no-figures", "--quiet"]) == 0
    results = fake / "results" / "fake-rate" / "results.csv"
    old = results.read_bytes()
    code = main(["run", "fake", "--no-figures", "--force", "--set", "paradigm.diverge_at=1"])
    assert_error(capsys, code, "diverged")
    assert results.read_bytes() == old
    assert [p.name for p in (fake / "results").iterdir()] == ["fake-rate"]


def test_interrupt_exits_130_and_writes_nothing(fake, capsys):
    assert main(["run", "fake", "--no-figures", "--set", "paradigm.interrupt_at=1"]) == 130
    err = capsys.readouterr().err
    assert "vicarious: interrupted; no result written" in err and "Traceback" not in err
    assert list(fake.iterdir()) == []


def test_progress_ticks_once_per_session(fake, monkeypatch):
    from circuits import runner
    from circuits.config import resolve

    totals, ticks = [], []

    class Bar:
        def __init__(self, total, **kwargs):
            totals.append(total)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def set_postfix(self, **kwargs):
            pass

        def update(self, n=1):
            ticks.append(n)

    monkeypatch.setattr(runner, "tqdm", Bar)
    rows = runner.simulate(resolve("fake", seeds=3, sets=["paradigm.sessions=4"]))
    assert totals == [4] and len(ticks) == 4  # the three animals run as one cohort: a tick per session
    assert {(r["paradigm"], r["lesion"], r["mode"]) for r in rows} == {("fake", "intact", "rate")}
    assert [r["seed"] for r in rows] == sorted(r["seed"] for r in rows) and {r["seed"] for r in rows} == {0, 1, 2}
    runner.simulate(resolve("fake", seeds=3, sets=["paradigm.sessions=4"], cohort=2))
    assert totals[-1] == 8 and len(ticks) == 12  # two cohorts (2 + 1 animals)


# -- list -------------------------------------------------------------------------------------
def test_list_everything(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for kind in REGIONS:
        assert f"  {kind}:" in out
    for word in ("cue-conditioning", "press_probability", "amygdala", "Adolphs", "acc_insula (12)", "ports: I, teach",
                 "cortex.tau = 20. ms", "unit ms", "neuron.", "plasticity.", "paradigm.sessions"):
        assert word in out


@pytest.mark.parametrize("topic, word", [("paradigms", "measures"), ("lesions", "primitives"),
                                         ("regions", "populations"), ("params", "allowed")])
def test_list_topic(topic, word, capsys):
    assert main(["list", topic]) == 0
    out = capsys.readouterr().out
    assert word in out
    assert sum(heading in out for heading in ("PARADIGMS", "LESIONS", "REGIONS", "PARAMETERS")) == 1


# -- figures and graph (written by other modules) ---------------------------------------------
@needs_figures
def test_figures_from_result_folder(real_result, tmp_path, capsys):
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(real_result[0], out)
    assert main(["figures", str(out)]) == 0
    paths = [line.removeprefix("figure: ") for line in capsys.readouterr().out.splitlines()]
    assert paths and all(Path(p).is_file() for p in paths)


@needs_figures
def test_run_makes_figures(tmp_path, capsys):
    out = tmp_path / "result"
    argv = ["run", "cue-conditioning", *[a for a in TINY if a != "--no-figures"], "--out", str(out)]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    figures = [line.removeprefix("figure: ") for line in lines if line.startswith("figure: ")]
    assert figures and all(Path(p).is_file() and Path(p).is_relative_to(out) for p in figures)


@needs_draw
def test_graph_draws_lesioned_circuit(tmp_path, capsys):
    out = tmp_path / "circuit.png"
    assert main(["graph", "--lesion", "amygdala", "--out", str(out)]) == 0
    assert out.is_file() and out.stat().st_size > 0
    assert f"circuit: {out}" in capsys.readouterr().out


def test_graph_needs_existing_folder(tmp_path, capsys):
    assert_error(capsys, main(["graph", "--out", str(tmp_path / "missing" / "c.png")]), "does not exist")
