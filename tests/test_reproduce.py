"""``vicarious reproduce``: experiments stored as they finish, resumed, and a report made from what is stored
(``--quick``: tiny protocols; a run, its spiking twin, a study, and a rate/spiking parity pair)."""

import os
import re

import pytest

from circuits.cli import main
from circuits.reproduce import PROTOCOLS, experiments

ONLY = ("fear-conditioning,fear-conditioning-spiking,cue-conditioning-lesions,parity-fear-conditioning-rate,"
        "parity-fear-conditioning-spiking")


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("reproduce") / "r"
    assert main(["reproduce", "--quick", "--only", ONLY, "--workers", "0", "--out", str(out)]) == 0
    return out


def test_the_report_shows_each_experiment_with_its_command_table_and_figures(quick):
    page = (quick / "report.html").read_text()
    for name in ONLY.split(","):
        assert f'id="{name}"' in page
        study = "lesions" in name or "parity" in name
        assert (quick / "tables" / (f"{name}-stats.csv" if study else f"{name}.csv")).is_file()
    assert "vicarious run fear-conditioning --seeds 2 --mode spiking" in page
    for src in re.findall(r'<img src="([^"]+)"', page):
        assert (quick / src).is_file(), src
    assert len(re.findall(r'<img src="', page)) >= 3
    assert "not run yet" in page  # the experiments left out are listed, not silently dropped


def test_the_report_puts_rate_and_spiking_side_by_side(quick):
    page = (quick / "report.html").read_text()
    parity = page[page.index("<section id='parity'>"):]
    assert "Rate against spiking" in parity and "<td>fear-conditioning</td>" in parity
    with open(quick / "tables" / "parity.csv") as handle:
        header, *rows = handle.read().splitlines()
    assert "hedges_g_rate" in header and "hedges_g_spiking" in header and "agree" in header
    assert rows and all(row.startswith("fear-conditioning,") for row in rows)


def test_a_second_run_keeps_what_is_done_and_redoes_a_damaged_run(quick, capsys):
    (quick / "fear-conditioning" / "results.csv").write_text("damaged\n")
    before = (quick / "fear-conditioning-spiking" / "results.csv").read_bytes()
    assert main(["reproduce", "--quick", "--only", ONLY, "--workers", "0", "--out", str(quick)]) == 0
    err = capsys.readouterr().err
    assert "fear-conditioning (2 seeds, rate): results.csv has 1 line where" in err and "set aside" in err
    assert err.count("already done") == 4
    assert (quick / "damaged" / "fear-conditioning").is_dir()
    assert (quick / "fear-conditioning-spiking" / "results.csv").read_bytes() == before


def test_unknown_experiments_and_foreign_folders_are_refused(tmp_path, capsys):
    assert main(["reproduce", "--quick", "--only", "fear-conditionin", "--out", str(tmp_path / "r")]) == 2
    assert "did you mean 'fear-conditioning'" in capsys.readouterr().err
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("x")
    assert main(["reproduce", "--quick", "--out", str(tmp_path / "mine")]) == 2
    assert "not a reproduction folder" in capsys.readouterr().err and os.listdir(tmp_path / "mine") == ["notes.txt"]


def test_every_paradigm_runs_in_both_modes_and_every_quick_protocol_resolves():
    from circuits.config import resolve
    from circuits.paradigms import PARADIGMS
    from circuits.study import make_spec

    full, tiny = experiments(), experiments(quick=True)
    assert {e.paradigm for e in full if e.mode == "rate"} == {e.paradigm for e in full if e.mode == "spiking"} \
        == set(PARADIGMS)
    assert [e.name for e in full] == [e.name for e in tiny]
    for exp in full + tiny:
        if exp.kind == "run":
            resolve(exp.paradigm, mode=exp.mode, seeds=exp.seeds, lesions=exp.lesions, sets=exp.sets)
        else:
            make_spec(exp.paradigm, lesions=exp.lesions, seeds=exp.seeds, sets=exp.sets, mode=exp.mode)
    assert set(PROTOCOLS) <= set(PARADIGMS)
