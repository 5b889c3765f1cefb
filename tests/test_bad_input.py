"""A hostile user's inputs and faults: each is refused with one line and exit status 2 (or handled as an
interrupt), nothing of the user's or of a finished result is lost, and nothing is left behind.

Every simulation here is tiny (one or two fear-conditioning animals, one session of two trials). The
classes of input checked elsewhere (unknown names, units, ranges: ``test_cli.py``, ``test_study.py``)
are sampled here once more, so this module alone shows what bad input gets.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from shell import user_env

from circuits import study as study_module
from circuits.cli import main
from circuits.results import MARKER, kind_of
from circuits.study import DAMAGED, RUNS, STUDY_FILE

ROOT = Path(__file__).resolve().parents[1]
SETS = ["paradigm.sessions=1", "paradigm.trials=2", "paradigm.habituation_trials=1", "paradigm.test_trials=1"]
TINY = ["--seeds", "1", *[a for s in SETS for a in ("--set", s)], "--no-figures", "--quiet"]
STUDY = ["study", "fear-conditioning", "--seeds", "2", *[a for s in SETS for a in ("--set", s)], "--workers", "0",
         "--no-figures", "--quiet"]


def files(folder):
    """Relative path -> SHA-256 of every file under ``folder`` (what must not be lost)."""
    folder = Path(folder)
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def refused(capsys, code, *fragments):
    """Exit status 2 and one line 'vicarious: error: ...' holding ``fragments``, no traceback."""
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith("vicarious: error: "), err
    for fragment in fragments:
        assert fragment in err, err
    return err


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def finished_study(tmp_path_factory):
    """A finished tiny study: intact and amygdala, 2 seeds (4 runs)."""
    out = tmp_path_factory.mktemp("bad-input") / "study"
    assert main([*STUDY, "--lesions", "amygdala", "--out", str(out)]) == 0
    return out


@pytest.fixture
def study_copy(finished_study, tmp_path):
    out = tmp_path / "study"
    shutil.copytree(finished_study, out)
    return out


# -- 1. --force replaces only a result folder -------------------------------------------------------------------
def test_force_never_deletes_a_users_folder(here, capsys):
    (here / "u" / "thesis").mkdir(parents=True)
    (here / "u" / "notes.txt").write_text("x")
    before = files(here)
    refused(capsys, main(["run", "fear-conditioning", *TINY, "--out", "u", "--force"]), "not a result folder",
            "nothing in it is replaced")
    assert files(here) == before and (here / "u" / "thesis").is_dir()


def test_without_force_a_users_folder_is_not_offered_to_force(here, capsys):
    (here / "u").mkdir()
    (here / "u" / "notes.txt").write_text("x")
    err = refused(capsys, main(["run", "fear-conditioning", *TINY, "--out", "u"]), "not a result folder")
    assert "--force" not in err


def test_force_never_replaces_a_study(study_copy, capsys):
    before = files(study_copy)
    refused(capsys, main(["run", "fear-conditioning", *TINY, "--out", str(study_copy), "--force"]),
            "is a study folder", "never replaced")
    assert files(study_copy) == before


@pytest.mark.parametrize("out", [".", "..", "/", "~"])
@pytest.mark.parametrize("command", ["run", "study"])
def test_the_current_parent_home_and_root_folders_are_refused_before_simulating(out, command, here, capsys,
                                                                                monkeypatch):
    monkeypatch.setattr("circuits.runner.simulate", _must_not_simulate)
    monkeypatch.setattr(study_module, "run_job", _must_not_simulate)
    argv = ["run", "fear-conditioning", *TINY] if command == "run" else [*STUDY]
    refused(capsys, main([*argv, "--out", os.path.expanduser(out), "--force"]), "a folder of its own")
    assert list(here.iterdir()) == []


def _must_not_simulate(*args, **kwargs):
    raise AssertionError("simulated although the output folder was refused")


def test_force_replaces_a_result_folder_and_a_result_is_marked(here, capsys):
    assert main(["run", "fear-conditioning", *TINY, "--out", "r"]) == 0
    assert kind_of(here / "r") == "run" and (here / "r" / MARKER).is_file()
    refused(capsys, main(["run", "fear-conditioning", *TINY, "--out", "r"]), "already holds a result", "--force")
    assert main(["run", "fear-conditioning", *TINY, "--out", "r", "--force"]) == 0
    assert sorted(p.name for p in here.iterdir()) == ["r"]


@pytest.mark.parametrize("out, fragment", [
    ("", "--out is empty"),
    ("afile/sub", "cannot write the output folder"),
    ("/proc/x/out", "cannot write the output folder"),
    ("d/" + "n" * 300, "cannot write the output folder"),
    ("afile", "exists and is not a folder"),
])
@pytest.mark.parametrize("command", ["run", "study"])
def test_an_output_folder_that_cannot_be_written_is_refused_before_simulating(out, fragment, command, here,
                                                                              capsys, monkeypatch):
    (here / "afile").write_text("mine")
    monkeypatch.setattr("circuits.runner.simulate", _must_not_simulate)
    monkeypatch.setattr(study_module, "run_job", _must_not_simulate)
    argv = ["run", "fear-conditioning", *TINY] if command == "run" else [*STUDY]
    code = main([*argv, "--out", out])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    if command == "run" or fragment != "cannot write the output folder":
        assert fragment in err, err
    assert sorted(p.name for p in here.iterdir()) == ["afile"] and (here / "afile").read_text() == "mine"


# -- 2. a study verifies what it resumes --------------------------------------------------------------------------
def damage_cut_lines(path):
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:len(lines) // 2]))


def damage_random_bytes(path):
    path.write_bytes(os.urandom(200) + b"\x00\xff")


def damage_delete(path):
    path.unlink()


@pytest.mark.parametrize("damage", [damage_cut_lines, damage_random_bytes, damage_delete])
def test_a_damaged_run_is_reported_set_aside_and_simulated_again(damage, study_copy, finished_study, capsys):
    run = sorted((study_copy / RUNS).iterdir())[0]
    damage(run / "results.csv")
    assert main([*STUDY, "--lesions", "amygdala", "--out", str(study_copy)]) == 0
    out, err = capsys.readouterr()
    assert "1 new, 3 already done, 0 failed" in out and "Traceback" not in err
    assert f"run {run.name} was damaged" in err and "simulated again" in err
    assert (study_copy / DAMAGED / run.name).is_dir()  # the damaged copy is kept
    assert (run / "results.csv").read_bytes() == (finished_study / RUNS / run.name / "results.csv").read_bytes()
    assert (study_copy / "stats.csv").read_bytes() == (finished_study / "stats.csv").read_bytes()


def test_an_altered_value_is_caught_by_the_checksum(study_copy, capsys):
    run = sorted((study_copy / RUNS).iterdir())[1]
    text = (run / "results.csv").read_text()
    lines = text.splitlines(keepends=True)
    lines[1] = lines[1].rsplit(",", 1)[0] + ",123.0\n"
    (run / "results.csv").write_text("".join(lines))
    assert main([*STUDY, "--lesions", "amygdala", "--out", str(study_copy)]) == 0
    assert "checksum" in capsys.readouterr().err


def test_a_lost_study_json_does_not_strand_the_finished_runs(study_copy, capsys):
    (study_copy / STUDY_FILE).unlink()
    assert main([*STUDY, "--lesions", "amygdala", "--out", str(study_copy)]) == 0
    out, err = capsys.readouterr()
    assert "0 new, 4 already done" in out and "study.json was missing" in err
    assert (study_copy / STUDY_FILE).is_file()


def test_a_study_folder_written_before_folders_were_marked_is_resumed(study_copy, capsys):
    (study_copy / MARKER).unlink()
    assert main([*STUDY, "--lesions", "amygdala", "--out", str(study_copy)]) == 0
    assert "0 new, 4 already done" in capsys.readouterr().out and kind_of(study_copy) == "study"


def test_study_values_are_compared_not_their_spelling(study_copy, capsys):
    argv = [*STUDY, "--lesions", "amygdala", "--out", str(study_copy)]
    argv[argv.index("paradigm.trials=2")] = "paradigm.trials=02"
    assert main(argv) == 0
    assert "0 new, 4 already done" in capsys.readouterr().out


def test_figures_of_damaged_files_are_one_line(study_copy, tmp_path, capsys):
    (study_copy / "study.parquet").write_bytes(b"PAR1 not really")
    refused(capsys, main(["figures", str(study_copy)]), "study.parquet", "damaged")
    (study_copy / "stats.csv").write_bytes(os.urandom(100))
    refused(capsys, main(["figures", str(study_copy)]), "stats.csv", "damaged")
    run = tmp_path / "run"
    assert main(["run", "fear-conditioning", *TINY, "--out", str(run)]) == 0
    (run / "results.csv").write_bytes(b"\x00\xff\xfe" + os.urandom(100))
    refused(capsys, main(["figures", str(run)]), "results.csv")


# -- 3. no tracebacks -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("argv, fragments", [
    (["run", "fear-conditioning", "--set", "paradigm.sessions=99999999999999999999999999"], ["out of range"]),
    (["study", "fear-conditioning", "--set", "paradigm.sessions=99999999999999999999999999"], ["out of range"]),
    (["run", "fear-conditioning", "--mode", "spiking", "--set", "neuron.v_rest=-45*mV"], ["below neuron.v_th"]),
    (["run", "fear-conditioning", "--set", "neuron.v_reset=-40*mV", "--set", "neuron.v_th=-50*mV"],
     ["below neuron.v_th"]),
    (["run", "fear-conditioning", "--set", "paradigm.sessions=nan"], ["paradigm.sessions"]),
    (["run", "fear-conditioning", "--set", "cortex.tau=1e400*ms"], ["not finite"]),
    (["run", "fear-conditioning", "--set", "cortex.tau=__import__('os').system('touch pwned')"], ["cannot read"]),
])
def test_bad_values_are_one_line(argv, fragments, here, capsys):
    refused(capsys, main(argv), *fragments)
    assert list(here.iterdir()) == []


def test_the_command_line_loads_without_brian2_or_matplotlib():
    """--help is instant and a Ctrl-C during start-up meets main()'s handling: the heavy imports are lazy."""
    code = "import sys, circuits.cli; sys.exit(int(bool({'brian2', 'matplotlib'} & set(sys.modules))))"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=60).returncode == 0


def test_brian2s_bug_banner_and_debug_files_are_switched_off():
    code = ("import sys, circuits.simulation as s; s.setup_brian2(); from brian2.utils.logger import BrianLogger; "
            "sys.exit(int(sys.excepthook is not sys.__excepthook__ or BrianLogger.tmp_log is not None))")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=60).returncode == 0


# -- 4. wrong input is refused, not ignored -------------------------------------------------------------------------
@pytest.mark.parametrize("argv, fragments", [
    (["study", "fear-conditioning", "--effects", "tset/freezing"], ["no phase 'tset'", "did you mean 'test'"]),
    (["run", "fear-conditioning", "--lesion", "remove:bla=0.5"], ["remove takes no value", "gain:"]),
    (["run", "fear-conditioning", "--lesion", "cut:cortex_to_bla=0.5"], ["cut takes no value", "weaken:"]),
    (["run", "fear-conditioning", "--lesion", "freeze:cortex_to_bla=0.9"], ["freeze takes no value"]),
    (["run", "fear-conditioning", "--lesion", "amygdala:"], ["severity after ':' is missing"]),
    (["run", "fear-conditioning", "--lesion", "amygdala", "--lesion", "cut:cortex_to_bla"],
     ["'cortex_to_bla' (removed with 'bla')", "'amygdala' already removed"]),
    (["run", "cue-conditioning", "--set", "vta.tonic=6*Hz"], ["plasticity.da_base", "vta.tonic"]),
    (["study", "fear-conditioning", "--scheduler", ""], ["--scheduler is empty"]),
    (["run", "fear-conditioning", "--set", "paradigm.trials=2", "--set", "paradigm.trials=3"], ["given twice"]),
    (["study", "fear-conditioning", "--set", "paradigm.trials=2", "--set", "paradigm.trials=3"], ["given twice"]),
    (["study", "fear-conditioning", "--workers", "100000"], ["--workers 100000", "allowed"]),
    (["run", "mirror-emergence", "--set", "paradigm.start_from=no-such.npz"], ["no such file"]),
    (["run", "mirror-emergence", "--lesion", "egocentric-cortex"], ["egocentric", "leave it out"]),
    (["study", "mirror-emergence", "--lesions", "egocentric-cortex"], ["egocentric", "leave it out"]),
    (["compare", "only-one"], ["two or more"]),
    (["run", "cue-conditioning", "--set", "dorsal_striatum.actions=a"], ["structure", "cannot be set"]),
    (["run", "cue-conditioning", "--set", "thalamus.channels=a"], ["structure", "cannot be set"]),
])
def test_wrong_input_is_refused(argv, fragments, here, capsys):
    refused(capsys, main(argv), *fragments)
    assert list(here.iterdir()) == []


def test_structural_parameters_are_not_listed(capsys):
    assert main(["list", "params"]) == 0
    out = capsys.readouterr().out
    assert "dorsal_striatum.actions" not in out and "thalamus.channels" not in out


def test_an_effect_no_run_measured_is_an_error_and_the_runs_are_kept(here, capsys):
    code = main([*STUDY, "--seeds", "1", "--out", "s", "--effects", "test/freezing/nobody"])
    refused(capsys, code, "test/freezing/nobody", "test/freezing/tone", "runs are kept")
    assert main([*STUDY, "--seeds", "1", "--out", "s", "--effects", "test/freezing/tone"]) == 0
    assert "0 new, 1 already done" in capsys.readouterr().out


# -- 5. nothing left behind -------------------------------------------------------------------------------------
@pytest.mark.parametrize("signum, code, word", [(signal.SIGINT, 130, "interrupted"),
                                                (signal.SIGTERM, 143, "terminated")])
def test_ctrl_c_and_sigterm_during_a_run_leave_nothing(signum, code, word, tmp_path):
    out = tmp_path / "result"
    argv = [sys.executable, "-m", "circuits", "run", "cue-conditioning", "--seeds", "1",
            "--set", "paradigm.sessions=200", "--no-figures", "--out", str(out)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env=user_env())
    deadline = time.monotonic() + 60
    while not any(tmp_path.iterdir()) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # the temporary folder appears before the simulation starts
    time.sleep(0.5)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert f"vicarious: {word}; no result written" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_stale_folders_of_dead_processes_are_tidied(here):
    dead = _dead_pid()
    (here / f"r.tmp-{dead}").mkdir()  # a run killed while writing
    assert main(["run", "fear-conditioning", *TINY, "--out", "r"]) == 0
    assert sorted(p.name for p in here.iterdir()) == ["r"]
    before = files(here / "r")
    os.replace(here / "r", here / f"r.old-{dead}")  # killed between moving the old result aside and the new in
    assert main(["run", "fear-conditioning", *TINY, "--out", "r"]) == 2  # the old result is back, so refused
    assert sorted(p.name for p in here.iterdir()) == ["r"] and files(here / "r") == before


def _dead_pid():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_failed_run_leaves_no_empty_parent_folders(here, capsys):
    code = main(["run", "fear-conditioning", *TINY, "--set", "neuron.max_rate=10*Hz", "--out", "a/b/c/out"])
    refused(capsys, code, "diverged")
    assert list(here.iterdir()) == []


def test_a_study_folder_is_made_only_once_its_cluster_answers(here, capsys, monkeypatch):
    monkeypatch.setattr(study_module, "CONNECT_TIMEOUT", "1s")
    code = main([*STUDY[:-4], "--no-figures", "--quiet", "--scheduler", "tcp://127.0.0.1:1", "--out", "s"])
    refused(capsys, code, "cannot connect to the Dask scheduler")
    assert list(here.iterdir()) == []
