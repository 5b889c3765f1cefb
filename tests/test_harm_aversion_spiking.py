"""Harm aversion in spiking mode (4 seeds per condition, one cohort each): harming presses are followed
by a dopamine dip against the paired control, and the critic's cortical input is needed for it
(``cortex-critic``) while the levers are still learnt. Its own module so that the test runner can run
it beside the others.

Known gap: the dip does not move the spiking actor's preference in most seeds (expected failure below).
"""

import numpy as np
import pytest

from circuits.config import resolve
from circuits.runner import simulate

from paradigm_rows import values
from test_harm_aversion import LESIONED, SHORT, dip, shift

#: Margins (spiking, the rate tests' protocol). Measured, seeds 0-3: dopamine after harming presses in the first
#: harm session, control minus harmed, 0.57, 0.30, 2.29, 0.82 Hz; shift (control minus harmed preference, mean
#: of the two harm sessions) -0.01, -0.04, 0.46, 0.0: the dip is there in every seed, the shift in one.
#: cortex-critic: dopamine within 0.1 Hz of the control, shift 0.10, -0.03, -0.17, -0.04.
SHIFT = 0.1  # every intact seed, as in rate mode
DIP = 0.1  # Hz: dopamine after harming presses, control minus harmed, first harm session
SEEDS = 4


@pytest.fixture(scope="module")
def runs():
    return {key: simulate(resolve("harm-aversion", mode="spiking", seeds=SEEDS, lesions=lesions, sets=SHORT),
                          progress=False)
            for key, lesions in (("intact", ()), ("cortex-critic", ("cortex-critic",)))}


@pytest.mark.xfail(strict=True, reason="spiking actor: the dip moves the preference in 1 of 4 seeds (shifts -0.01, "
                                       "-0.04, 0.46, 0.0) where every rate seed shifts by 0.33 or more")
def test_harming_lever_loses_preference(runs):
    intact = shift(runs, "intact")
    assert all(s > SHIFT for s in intact.values()), intact


def test_harming_presses_are_followed_by_a_dopamine_dip(runs):
    drop = dip(runs["intact"])
    assert all(d > DIP for d in drop.values()), drop


def test_cortex_critic_lesion_spares_lever_learning_and_removes_dip_and_shift(runs):
    rate = values(runs["cortex-critic"], "press_rate", "baseline")
    assert all(r[-1] > 30.0 for r in rate.values()), rate  # presses/min
    assert all(d < DIP for d in dip(runs["cortex-critic"]).values()), dip(runs["cortex-critic"])
    lesioned = shift(runs, "cortex-critic")  # measured 0.10, -0.03, -0.17, -0.04: the levers' drift, on average none
    assert abs(np.mean(list(lesioned.values()))) < LESIONED, lesioned
