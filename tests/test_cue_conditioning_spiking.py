"""The built-in paradigm in spiking mode (5 seeds in one cohort, 6 sessions): freezing to the shocked tone
is learnt and needs the amygdala; pressing for the light is learnt on average. Its own module so that
the test runner can run it beside the rate-mode fixture.
"""

import numpy as np
import pytest

from circuits.config import resolve
from circuits.runner import simulate

from test_cue_conditioning import MARGIN, assert_freezing_learnt, table

SEEDS = 5


@pytest.fixture(scope="module")
def runs():
    # the lesion's control needs no learning curve: 2 sessions
    return {key: simulate(resolve("cue-conditioning", mode="spiking", seeds=SEEDS, lesions=lesions,
                                  sets=[f"paradigm.sessions={sessions}"]), progress=False)
            for key, lesions, sessions in (("intact", (), 6), ("amygdala", ("amygdala",), 2))}


def test_freezing_to_the_shocked_tone_is_learnt(runs):
    assert_freezing_learnt(runs["intact"])


def test_amygdala_lesion_removes_freezing(runs):
    assert np.all(table(runs["amygdala"], "freezing", "tone") < 0.05)


def discrimination_learnt(runs):
    """Per seed: the light-minus-tone press probability, sessions 4-6 minus sessions 1-2."""
    light, tone = table(runs["intact"], "press_probability", "light"), table(runs["intact"], "press_probability", "tone")
    return (light - tone)[:, 3:].mean(axis=1) - (light - tone)[:, :2].mean(axis=1)


def test_pressing_for_the_light_is_learnt(runs):
    """As in rate mode (test_cue_conditioning), on average over seeds. Measured (seeds 0-4): the
    light-minus-tone press difference rose by 0.44, -0.08, 0.56, 0.72, 0.25 (tone pressing 0 from
    session 3 on in every seed; seed 1 pressed for the light in 0-0.33 of its late trials)."""
    assert discrimination_learnt(runs).mean() > MARGIN, discrimination_learnt(runs)


@pytest.mark.xfail(strict=True, reason="spiking actor: 2 of 5 seeds learn to press for the light by less than 0.3 "
                                       "(-0.08, 0.25) where every rate seed learns by 0.45 or more")
def test_every_seed_learns_to_press_for_the_light(runs):
    assert np.all(discrimination_learnt(runs) > MARGIN), discrimination_learnt(runs)
