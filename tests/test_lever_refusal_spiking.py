"""Lever pressing for food is learnt in spiking mode too (4 seeds, one cohort). Its own module so that the test
runner can run it beside the others.

Only training is asserted: spiking mode shows no suppression while the neighbour is shocked
(measured with 2 seeds, the rate tests' protocol: ratios 0.59 and 0.53, the subject freezing as much
before the light as during it; see the README), so that is tested in rate mode only. The test days are cut
to one trial to save time.
"""

import numpy as np
import pytest

from circuits.config import replaced, resolve
from circuits.runner import simulate

from paradigm_rows import values
from test_lever_refusal import PRESS_RISE, SHORT

#: The training of the rate tests; no own shocks and a one-trial test day (nothing asserted there).
TRAINING = replaced(SHORT, "paradigm.own_shocks=0", "paradigm.periods=1", "paradigm.period_trials=1",
                    "paradigm.iti_trials=0")


@pytest.fixture(scope="module")
def rate():
    rows = simulate(resolve("lever-refusal", mode="spiking", seeds=4, sets=TRAINING), progress=False)
    return np.asarray(list(values(rows, "press_rate", "training").values()))


def test_pressing_for_food_is_learnt(rate):
    """Measured (seeds 0-3), presses/min from day 1 to day 3: 60 -> 72.5, 47.5 -> 65, 45 -> 65, 57.5 -> 55."""
    assert rate[:, -1].mean() > rate[:, 0].mean() + PRESS_RISE, rate


@pytest.mark.xfail(strict=True, reason="spiking actor: one seed of four presses less after training (57.5 -> 55 "
                                       "presses/min)")
def test_every_seed_learns_to_press(rate):
    assert np.all(rate[:, -1] > rate[:, 0] + PRESS_RISE), rate
