"""Lever refusal (Church 1959): a rat pressing for food presses less while a neighbour is shocked.

Six seeds per condition (one cohort each). Pressing must be learnt over training days; during the
light that signals the neighbour's shocks every seed must freeze more than before it, and the
suppression ratio B/(A+B) must fall below 0.5 on average; with the light alone (Church's control
group, ``other_shocked=0``) it must stay near 0.5. The neighbour's shocks do not depend on
pressing, so the suppression is a conditioned emotional response (Estes & Skinner 1941): the
amygdala reads the neighbour's pain code as a threat and the freezing it drives leaves no time to
press (Bouton & Bolles 1980). The amygdala lesion must remove it.

Known gap: the suppression is all or none across animals, not graded as in Church's rats: only
the seeds that freeze through ~40% of the light stop pressing (expected failure below).
"""

import numpy as np
import pytest

from circuits.config import resolve
from circuits.reproduce import PROTOCOLS
from circuits.runner import simulate
from regions.errors import VicariousError

from paradigm_rows import values

#: A short protocol (the defaults are 200 development events, 6 x 60 training trials, 2 test days).
SHORT = list(PROTOCOLS["lever-refusal"])
#: Margins. Measured (rate, seeds 0-5, this protocol): press rate day 1 -> 3: 22.5-60 -> 67.5-75 presses/min;
#: suppression ratio 0.45, 0.45, 0.0, 0.08, 0.45, 0.48 (mean 0.32) with freezing during the light 0.12-0.44
#: against 0.01-0.07 before it; light alone 0.48-0.52 with no freezing; amygdala lesion 0.43-0.50, no freezing.
RATIO_MARGIN = 0.1
PRESS_RISE = 5.0  # presses per minute
FREEZING_MARGIN = 0.05  # fraction of steps
SEEDS = 6


@pytest.fixture(scope="module")
def runs():
    return {key: simulate(resolve("lever-refusal", seeds=SEEDS, lesions=lesions, sets=SHORT + extra), progress=False)
            for key, lesions, extra in (("intact", (), []), ("light-alone", (), ["paradigm.other_shocked=0"]),
                                        ("amygdala", ("amygdala",), []))}


def mean_ratio(rows):
    return np.nanmean([np.nanmean(r) for r in values(rows, "suppression_ratio", "test").values()])


def test_pressing_for_food_is_learnt(runs):
    rate = np.asarray(list(values(runs["intact"], "press_rate", "training").values()))
    assert np.all(rate[:, -1] >= rate[:, 0])  # no seed presses less after training
    assert rate[:, -1].mean() > rate[:, 0].mean() + PRESS_RISE, rate


def test_pressing_is_suppressed_while_the_neighbour_is_shocked(runs):
    ratio = values(runs["intact"], "suppression_ratio", "test")
    assert len(ratio) == SEEDS
    assert all(np.nanmean(r) <= 0.5 for r in ratio.values()), ratio  # no seed presses more
    assert mean_ratio(runs["intact"]) < 0.5 - RATIO_MARGIN, ratio
    light, pre = (values(runs["intact"], f"freezing_{p}", "test") for p in ("light", "pre"))
    assert all(np.mean(light[s]) > np.mean(pre[s]) + FREEZING_MARGIN for s in light), (light, pre)


@pytest.mark.xfail(strict=True, reason="suppression is all or none across animals (ratios 0.45, 0.45, 0, 0.08, "
                                       "0.45, 0.48): only the seeds that freeze through ~40% of the light stop "
                                       "pressing; Church's rats suppressed in a graded way")
def test_every_seed_suppresses_pressing(runs):
    ratio = values(runs["intact"], "suppression_ratio", "test")
    assert all(np.nanmean(r) < 0.5 - RATIO_MARGIN / 2 for r in ratio.values()), ratio


def test_the_light_alone_does_not_suppress(runs):
    ratio = values(runs["light-alone"], "suppression_ratio", "test")
    for seed, r in ratio.items():
        assert np.nanmean(r) > 0.5 - RATIO_MARGIN, (seed, ratio)
    assert mean_ratio(runs["light-alone"]) > mean_ratio(runs["intact"]) + RATIO_MARGIN


def test_the_amygdala_lesion_removes_the_suppression(runs):
    freezing = values(runs["amygdala"], "freezing_light", "test")
    assert all(max(f) == 0.0 for f in freezing.values()), freezing
    assert mean_ratio(runs["amygdala"]) > mean_ratio(runs["intact"]) + RATIO_MARGIN
    assert mean_ratio(runs["amygdala"]) > 0.5 - RATIO_MARGIN / 2


def test_dopamine_traces_around_presses_are_written(runs):
    traces = [r for r in runs["intact"] if "time" in r and r["measure"] == "vta"]
    assert {"subject", "pre"} <= {r["condition"] for r in traces}
    assert min(r["time"] for r in traces) < 0 < max(r["time"] for r in traces)


@pytest.mark.parametrize("setting, message", [
    ("paradigm.other=cagemat", "did you mean 'cagemate'"),
    ("paradigm.other=self", "cannot be 'self'"),
    ("paradigm.other_mode=video", "allowed"),
    ("paradigm.senses=sight,taste", "unknown sense"),
    ("paradigm.own_shocks=-1", "out of range"),
    ("paradigm.other_shocked=2", "out of range"),
])
def test_bad_parameters_are_refused(setting, message):
    with pytest.raises(VicariousError, match=message):
        resolve("lever-refusal", sets=[setting])
