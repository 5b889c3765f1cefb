"""The built-in paradigm in spiking mode (5 seeds in one cohort, 6 sessions and the probe): freezing to the
shocked tone is learnt and needs the amygdala. Pressing for the light, the move of the dopamine response
from the food to the light and the dip when the food is withheld are the rate tests' claims, measured here
and held as strict expected failures where the spiking circuit does not show them. Its own module so that
the test runner can run it beside the rate-mode fixture.
"""

import numpy as np
import pytest

from circuits.config import resolve
from circuits.runner import simulate

from test_cue_conditioning import (
    MARGIN,
    assert_dopamine_moves_to_the_cue,
    assert_freezing_learnt,
    assert_omission_dips,
    table,
)

SEEDS = 5


@pytest.fixture(scope="module")
def runs():
    # the lesion's control needs no learning curve: 2 sessions
    return {key: simulate(resolve("cue-conditioning", mode="spiking", seeds=SEEDS, lesions=lesions,
                                  sets=[f"paradigm.sessions={sessions}", f"paradigm.probe_trials={probe}"]),
                          progress=False)
            for key, lesions, sessions, probe in (("intact", (), 6, 12), ("amygdala", ("amygdala",), 2, 0))}


def test_freezing_to_the_shocked_tone_is_learnt(runs):
    assert_freezing_learnt(runs["intact"])


def test_amygdala_lesion_removes_freezing(runs):
    assert np.all(table(runs["amygdala"], "freezing", "tone") < 0.05)


def discrimination_learnt(runs):
    """Per seed: the light-minus-tone press probability, sessions 4-6 minus sessions 1-2."""
    light, tone = table(runs["intact"], "press_probability", "light"), table(runs["intact"], "press_probability", "tone")
    return (light - tone)[:, 3:].mean(axis=1) - (light - tone)[:, :2].mean(axis=1)


@pytest.mark.xfail(strict=True, reason="spiking actor: with a brief food pellet the light-minus-tone press difference "
                                       "rises by -0.19, -0.22, 0.94, 0.03, 0.08 (seeds 0-4; mean 0.13): the actor "
                                       "presses for the light early and loses it as the tone's fear is learnt")
def test_pressing_for_the_light_is_learnt(runs):
    """As in rate mode (test_cue_conditioning), on average over seeds."""
    assert discrimination_learnt(runs).mean() > MARGIN, discrimination_learnt(runs)


@pytest.mark.xfail(strict=True, reason="spiking actor: 4 of 5 seeds learn to press for the light by less than 0.3 "
                                       "where every rate seed learns by 0.38 or more")
def test_every_seed_learns_to_press_for_the_light(runs):
    assert np.all(discrimination_learnt(runs) > MARGIN), discrimination_learnt(runs)


@pytest.mark.xfail(strict=True, reason="spiking critic: the light's value is 0.06-0.45 Hz in sessions 3-6 (rate, 5-8: 1.1-3.9), "
                                       "so the response at the light stays -0.37 to 0.12 Hz and the food's rises "
                                       "(-0.38 to 1.38 Hz in session 6, 0.26-0.65 in sessions 1-2)")
def test_dopamine_moves_from_the_food_to_the_light(runs):
    assert_dopamine_moves_to_the_cue(runs["intact"])


@pytest.mark.xfail(strict=True, reason="spiking: withheld food dips by -0.37 to -0.64 Hz in 4 seeds of 5 (seed 0: -0.01), "
                                       "but 2 seeds pressed for no paid light in the probe, so nothing to compare with")
def test_withheld_food_gives_a_dip(runs):
    assert_omission_dips(runs["intact"])
