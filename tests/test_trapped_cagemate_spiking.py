"""Trapped-cagemate release in spiking mode: the rate tests' protocol and margins, eight free animals per
condition (one cohort each). Its own module so that the test runner can run it beside the rate module.

Measured (seeds 0-7): fraction opening per day, cagemate 0.38, 0.38, 0.50, 0.62, empty restrainer 0.12, 0.25,
0.12, 0.25; mean latency with the cagemate 22.0, 21.8, 19.1, 16.5 s; the cagemate's perceived distress before
its release 0.95-0.99 per animal and 0.10-0.24 after it. The relief does not hold per animal: dopamine over the
opening bout's outcome is -0.42 to +0.50 Hz among the cagemate's openers (3 of 7 above +0.05 Hz; mean 0.01),
-0.47 to +0.25 Hz with the empty restrainer (mean -0.11); so in spiking mode what reinforces opening is not
the relief burst alone (a strict expected failure below).
"""

import pytest
from test_trapped_cagemate import (
    assert_distressed_until_released,
    assert_opening_rises_only_with_the_cagemate,
    assert_released_more_often,
    assert_relief_only_with_the_cagemate,
    cohorts,
)


@pytest.fixture(scope="module")
def runs():
    return cohorts("spiking")


def test_the_spiking_cagemate_is_distressed_until_its_door_opens(runs):
    assert_distressed_until_released(runs)


@pytest.mark.xfail(strict=True, reason="spiking: the dopamine after opening is below +0.05 Hz in 4 of 7 openers")
def test_opening_is_followed_by_relief_only_when_the_cagemate_is_inside_in_spiking_mode(runs):
    assert_relief_only_with_the_cagemate(runs)


def test_spiking_cagemates_are_released_more_often_than_an_empty_restrainer_is_opened(runs):
    assert_released_more_often(runs)


def test_spiking_opening_rises_over_the_days_with_the_cagemate_and_not_with_an_empty_restrainer(runs):
    assert_opening_rises_only_with_the_cagemate(runs)
