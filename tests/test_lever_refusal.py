"""Lever refusal (Church 1959): a rat pressing for food presses less while a neighbour is shocked.

Pressing must be learnt over training days; during the light that signals the neighbour's
shocks the suppression ratio B/(A+B) must fall below 0.5, and with the light alone (Church's
control group, ``other_shocked=0``) it must stay near 0.5. The neighbour's shocks do not
depend on pressing, so the suppression is a conditioned emotional response (Estes & Skinner
1941): the amygdala reads the neighbour's pain code as a threat and the freezing it drives
leaves no time to press (Bouton & Bolles 1980). The amygdala lesion must remove it.
"""

import numpy as np
import pytest

from circuits.config import resolve
from circuits.runner import simulate
from regions.errors import VicariousError
from paradigm_rows import values

#: A short protocol (the defaults are 200 development events, 6 x 60 training trials, 2 test days).
SHORT = ["paradigm.development_events=80", "paradigm.trials=30", "paradigm.training_days=3", "paradigm.test_days=1",
         "paradigm.periods=2", "paradigm.period_trials=6", "paradigm.iti_trials=4", "paradigm.own_shocks=5"]
#: Margins. Measured (rate, seeds 0-2, this protocol): press rate day 1 -> 3: 62.5/15/42.5 -> 72.5/65/72.5
#: presses/min; suppression ratio 0.25, 0.43, 0.20 with freezing during the light 0.29, 0.17, 0.46 (0.01-0.09
#: before it); light alone 0.5, 0.5; amygdala lesion 0.5, 0.5 with no freezing. Before the motor loop was reset between trials the suppression
#: was larger (0-0.35) but came from the loop's hysteresis: a dip at the light's onset flipped the held
#: action to exploring, which then persisted.
RATIO_MARGIN = 0.1
PRESS_RISE = 5.0  # presses per minute


@pytest.fixture(scope="module")
def runs():
    return {key: simulate(resolve("lever-refusal", seeds=seeds, lesions=lesions, sets=SHORT + extra), progress=False)
            for key, seeds, lesions, extra in (("intact", 3, (), []),
                                               ("light-alone", 2, (), ["paradigm.other_shocked=0"]),
                                               ("amygdala", 2, ("amygdala",), []))}


def mean_ratio(rows):
    return np.nanmean([np.nanmean(r) for r in values(rows, "suppression_ratio", "test").values()])


def test_pressing_for_food_is_learnt(runs):
    rate = np.asarray(list(values(runs["intact"], "press_rate", "training").values()))
    assert np.all(rate[:, -1] >= rate[:, 0])  # no seed presses less after training
    assert rate[:, -1].mean() > rate[:, 0].mean() + PRESS_RISE, rate


def test_pressing_is_suppressed_while_the_neighbour_is_shocked(runs):
    ratio = values(runs["intact"], "suppression_ratio", "test")
    assert len(ratio) == 3
    assert all(np.nanmean(r) < 0.5 - RATIO_MARGIN / 2 for r in ratio.values()), ratio
    assert mean_ratio(runs["intact"]) < 0.5 - RATIO_MARGIN, ratio


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
