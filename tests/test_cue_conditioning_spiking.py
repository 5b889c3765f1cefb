"""The built-in paradigm in spiking mode (2 seeds, 6 sessions): freezing to the shocked tone is learnt
and needs the amygdala; pressing for the light is learnt. Its own module so that the test runner can
run it beside the rate-mode fixture.
"""

import numpy as np
import pytest

from circuits.config import resolve
from circuits.runner import simulate
from test_cue_conditioning import assert_freezing_learnt, table


@pytest.fixture(scope="module")
def runs():
    # the lesion's control needs no learning curve: 2 sessions
    return {key: simulate(resolve("cue-conditioning", mode="spiking", seeds=2, lesions=lesions,
                                  sets=[f"paradigm.sessions={sessions}"]), progress=False)
            for key, lesions, sessions in (("intact", (), 6), ("amygdala", ("amygdala",), 2))}


def test_freezing_to_the_shocked_tone_is_learnt(runs):
    assert_freezing_learnt(runs["intact"])


def test_amygdala_lesion_removes_freezing(runs):
    assert np.all(table(runs["amygdala"], "freezing", "tone") < 0.05)


def test_pressing_for_the_light_is_learnt(runs):
    """As in rate mode (test_cue_conditioning), with the LIF units matched to their rate twins
    (regions.neurons.lif_transfer). Measured (seeds 0-1), P(press | light) per session: 0.5, 0, 0.83, 1, 1, 1
    and 0.33, 0.17, 0.5, 0.83, 1, 0.67; tone pressing 0 from session 4 on. Unmatched, spiking MSNs sat above
    the up-state and pressing oscillated (0.33, 0.33, 0.83, 0.33, 1.0)."""
    light, tone = table(runs["intact"], "press_probability", "light"), table(runs["intact"], "press_probability", "tone")
    late, early = slice(3, None), slice(0, 2)  # sessions 4-6 against sessions 1-2
    rise = light[:, late].mean(axis=1) - light[:, early].mean(axis=1)
    assert np.all(rise > 0.15) and rise.mean() > 0.3, rise
    assert light[:, late].mean() > tone[:, late].mean() + 0.3
