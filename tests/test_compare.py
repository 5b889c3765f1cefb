"""``vicarious compare``: studies' effect tables side by side, matched comparison by comparison."""

import csv
import json
import math

import pytest

from circuits.cli import main
from circuits.compare import compare, text_table, verdict
from circuits.study import make_spec, run_study
from regions.errors import VicariousError

TINY = ["paradigm.sessions=1", "paradigm.trials=2", "paradigm.habituation_trials=1", "paradigm.test_trials=1"]


@pytest.fixture(scope="module")
def studies(tmp_path_factory):
    """The same tiny fear-conditioning study (intact and amygdala, 2 seeds) in rate and in spiking mode."""
    root = tmp_path_factory.mktemp("compare")
    out = {}
    for mode in ("rate", "spiking"):
        spec = make_spec("fear-conditioning", lesions="amygdala", seeds=2, sets=TINY, mode=mode)
        out[mode] = root / mode
        assert run_study(spec, out[mode], workers=0, progress=False).failures == []
    return out


def test_verdicts_read_the_confidence_interval():
    assert verdict({"g_ci_low": 0.2, "g_ci_high": 1.0}) == "+"
    assert verdict({"g_ci_low": -1.0, "g_ci_high": -0.1}) == "-"
    assert verdict({"g_ci_low": -1.0, "g_ci_high": 0.5}) == "0"
    assert verdict({"g_ci_low": math.nan, "g_ci_high": math.nan}) == "?"
    constant = {"g_ci_low": math.nan, "g_ci_high": math.nan, "sd_lesion": 0.0, "sd_intact": 0.0}
    assert verdict(constant | {"mean_lesion": 0.0, "mean_intact": 0.88}) == "-"  # all froze, none froze
    assert verdict(constant | {"mean_lesion": 0.5, "mean_intact": 0.5}) == "0"
    assert verdict(constant | {"mean_lesion": math.nan, "mean_intact": 0.5}) == "?"  # no values under the lesion
    assert verdict(None) == "absent"


def test_rate_and_spiking_side_by_side(studies):
    labels, rows = compare([studies["rate"], studies["spiking"]])
    assert labels == ["rate", "spiking"]
    assert {r["measure"] for r in rows} == {"freezing", "bla_tone", "cea_tone", "pag_vl_tone"}
    stats = {}
    for mode in labels:
        with open(studies[mode] / "stats.csv", newline="") as handle:
            stats[mode] = {(r["measure"], r["lesion"]): float(r["hedges_g"]) for r in csv.DictReader(handle)}
    for row in rows:  # each side is its own study's number, and agree follows the verdicts
        for mode in labels:
            g = stats[mode][(row["measure"], row["lesion"])]
            assert row[f"hedges_g_{mode}"] == g or (math.isnan(g) and math.isnan(row[f"hedges_g_{mode}"]))
        assert row["agree"] == ("yes" if row["verdict_rate"] == row["verdict_spiking"] else "no")
    assert "g rate [95% CI]" in text_table(labels, rows).splitlines()[0]


def test_the_command_prints_and_writes_a_new_csv(studies, tmp_path, capsys):
    out = tmp_path / "parity.csv"
    assert main(["compare", str(studies["rate"]), str(studies["spiking"]), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "test/freezing" in printed and f"table: {out}" in printed
    with open(out, newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 4
    before = out.read_bytes()
    assert main(["compare", str(studies["rate"]), str(studies["spiking"]), "--out", str(out)]) == 2
    assert "exists" in capsys.readouterr().err and out.read_bytes() == before  # nothing overwritten


def test_two_studies_of_one_mode_are_labelled_by_folder(studies, tmp_path):
    import shutil
    twin = tmp_path / "rate-again"
    shutil.copytree(studies["rate"], twin)
    labels, rows = compare([studies["rate"], twin])
    assert labels == ["rate", "rate-again"] and all(r["agree"] == "yes" for r in rows)


def test_bad_input_is_refused(studies, tmp_path, capsys):
    with pytest.raises(VicariousError, match="two or more"):
        compare([studies["rate"]])
    with pytest.raises(VicariousError, match="not a study folder"):
        compare([studies["rate"], tmp_path])
    other = tmp_path / "other"
    other.mkdir()
    (other / "study.json").write_text(json.dumps({"spec": {"mode": "spiking", "grid": {}}}))
    (other / "stats.csv").write_text((studies["rate"] / "stats.csv").read_text().replace("fear-conditioning",
                                                                                         "cue-conditioning"))
    with pytest.raises(VicariousError, match="no comparison in common"):
        compare([studies["rate"], other])
    assert main(["compare", str(studies["rate"]), str(tmp_path / "missing")]) == 2
    assert "not a study folder" in capsys.readouterr().err
