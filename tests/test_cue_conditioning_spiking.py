"""The built-in paradigm in spiking mode (2 seeds, 4 sessions): freezing to the shocked tone is learnt
and needs the amygdala. Its own module so that the test runner can run it beside the rate-mode fixture.
Pressing is not asserted: the spiking actor does not learn it yet (see the README).
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
            for key, lesions, sessions in (("intact", (), 4), ("amygdala", ("amygdala",), 2))}


def test_freezing_to_the_shocked_tone_is_learnt(runs):
    assert_freezing_learnt(runs["intact"])


def test_amygdala_lesion_removes_freezing(runs):
    assert np.all(table(runs["amygdala"], "freezing", "tone") < 0.05)
