"""Emotional contagion in spiking mode (4 seeds in one cohort, the controls' shorter protocol): the
observer freezes while watching, and not without an amygdala. Its own module so that the test runner
can run it beside the rate-mode fixture.

Measured (seeds 0-3): freezing 0 at habituation, 0.19-0.42 while watching, but 0-0.45 in the session's
pre-shock baseline (fear generalised to the arena in two seeds), and the nociceptive threshold fell in
two seeds and rose in one (20.2 -> 15.0, 16.7 -> 15.7, 15.1 -> 16.3, 14.9 -> 14.2 Hz): neither the
baseline contrast nor hyperalgesia holds in spiking mode, so they are tested in rate mode only.
"""

import pytest

from circuits.config import resolve
from circuits.runner import simulate

from test_shock_observation import FREEZING_MARGIN, SHORT, assert_freezes_while_watching, values

SEEDS = 4


@pytest.fixture(scope="module")
def runs():
    return {key: simulate(resolve("shock-observation", mode="spiking", seeds=SEEDS, lesions=lesions, sets=SHORT),
                          progress=False)
            for key, lesions in (("intact", ()), ("amygdala", ("amygdala",)))}


def test_observer_freezes_while_watching(runs):
    assert_freezes_while_watching(runs["intact"], seeds=SEEDS)


def test_amygdala_lesion_removes_observational_freezing(runs):
    assert all(v < FREEZING_MARGIN for v in values(runs["amygdala"], "freezing", "observation").values())
