"""Oxytocin lesions act as their source reports: Pisansky et al. (2017) found that intranasal oxytocin made
mice freeze to the distress of an unfamiliar demonstrator and left fear of their own footshocks unchanged.

`oxytocin-up` raises the salience of what the animal perceives of others, `oxytocin-down` lowers it; neither
touches the animal's own body or expression. Shock-observation with a stranger as the demonstrator (the
controls' shorter protocol, 5 seeds each, one cohort per condition), against the intact observer.
Measured (seeds 0-4): freezing while the stranger is shocked 0.22-0.35 intact, 0.31-0.36 under
oxytocin-up:0.5 (0 to +0.10 per seed, mean +0.045; freezing is near its ceiling of about 0.36 here),
0.01 in every seed under oxytocin-down; freezing to its own footshocks 0.20-0.24 intact, within 0.02 of it under
either lesion.
"""

import numpy as np
import pytest

from circuits.config import resolve
from circuits.reproduce import PROTOCOLS
from circuits.runner import simulate

SEEDS = 5
PROTOCOL = [*PROTOCOLS["shock-observation"], "paradigm.other=stranger"]


def freezing(rows, phase):
    """Observer freezing per seed in ``phase`` (seed order)."""
    found = {r["seed"]: r["value"] for r in rows if (r["condition"], r["measure"], r["phase"], r["session"])
             == ("subject", "freezing", phase, 0) and "time" not in r}
    return np.array([found[s] for s in sorted(found)])


@pytest.fixture(scope="module")
def runs():
    return {lesion: simulate(resolve("shock-observation", seeds=SEEDS, lesions=[lesion] if lesion else [],
                                     sets=PROTOCOL), progress=False)
            for lesion in ("", "oxytocin-up:0.5", "oxytocin-down")}


def test_oxytocin_up_raises_observational_fear_of_a_stranger(runs):
    intact, up = freezing(runs[""], "observation"), freezing(runs["oxytocin-up:0.5"], "observation")
    assert np.all(up >= intact - 0.01), (intact, up)  # in no seed lower
    assert (up - intact).mean() > 0.03, (intact, up)


def test_oxytocin_down_removes_observational_fear(runs):
    intact, down = freezing(runs[""], "observation"), freezing(runs["oxytocin-down"], "observation")
    assert np.all(down < intact - 0.15), (intact, down)


def test_oxytocin_leaves_fear_of_own_footshocks_unchanged(runs):
    intact = freezing(runs[""], "own_shocks")
    for lesion in ("oxytocin-up:0.5", "oxytocin-down"):
        assert np.all(np.abs(freezing(runs[lesion], "own_shocks") - intact) < 0.03), lesion
