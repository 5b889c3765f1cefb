"""The two code-generation targets give the same numbers, bit for bit, in both modes: the cython target is
compiled without fast-math or fused multiply-adds (``circuits.simulation.STRICT_GCC_FLAGS``), so it rounds as
numpy does, and its buffered random numbers come from the same stream in the same order."""

import json

import pytest

from circuits.cli import main
from circuits.config import resolve
from circuits.reproduce import QUICK
from circuits.runner import simulate
from regions.errors import VicariousError


@pytest.mark.parametrize("mode", ["rate", "spiking"])
def test_cython_gives_numpys_numbers(mode):
    rows = {target: simulate(resolve("lever-refusal", mode=mode, seeds=2, sets=QUICK["lever-refusal"], codegen=target),
                             progress=False)
            for target in ("numpy", "cython")}
    assert len(rows["numpy"]) > 50
    assert json.dumps(rows["cython"]) == json.dumps(rows["numpy"])  # NaN (a measure with no trial) included


def test_the_default_target_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("VICARIOUS_CODEGEN", "numpy")
    assert resolve("cue-conditioning").codegen == "numpy"
    assert resolve("cue-conditioning", codegen="cython").codegen == "cython"
    monkeypatch.setenv("VICARIOUS_CODEGEN", "cpp")
    with pytest.raises(VicariousError, match="VICARIOUS_CODEGEN.*'cpp'.*numpy"):
        resolve("cue-conditioning")


def test_a_bad_target_in_the_environment_is_refused_before_running(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("VICARIOUS_CODEGEN", "cpp")
    assert main(["run", "cue-conditioning", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "environment variable VICARIOUS_CODEGEN" in err and "allowed: cython, numpy" in err
    assert "Traceback" not in err and not (tmp_path / "r").exists()
