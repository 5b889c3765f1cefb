"""Emotional contagion in spiking mode (2 seeds): the observer freezes while watching, and not without
an amygdala. Its own module so that the test runner can run it beside the rate-mode fixture.

Nociceptive thresholds are not asserted here: spiking thresholds vary by ~2 Hz between ramps with
nothing changed, and hyperalgesia was not consistent across seeds (measured; see the README).
"""

import pytest

from circuits.config import resolve
from circuits.runner import simulate
from test_shock_observation import FREEZING_MARGIN, SHORT, assert_freezes_while_watching, values


@pytest.fixture(scope="module")
def runs():
    return {key: simulate(resolve("shock-observation", mode="spiking", seeds=2, lesions=lesions, sets=SHORT),
                          progress=False)
            for key, lesions in (("intact", ()), ("amygdala", ("amygdala",)))}


def test_observer_freezes_while_watching(runs):
    assert_freezes_while_watching(runs["intact"], seeds=2)


def test_amygdala_lesion_removes_observational_freezing(runs):
    assert all(v < FREEZING_MARGIN for v in values(runs["amygdala"], "freezing", "observation").values())
