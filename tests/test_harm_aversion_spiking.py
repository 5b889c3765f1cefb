"""Harm aversion in spiking mode (2 seeds): the harming lever loses preference against the paired
control, harming presses are followed by a dopamine dip, and the critic's cortical input is needed
for both (``cortex-critic``) while the levers are still learnt. Its own module so that the test
runner can run it beside the others.
"""

import numpy as np
import pytest

from circuits.config import resolve
from circuits.runner import simulate
from test_harm_aversion import LESIONED, SHORT, dip, shift
from paradigm_rows import values

#: Margins (spiking, the rate tests' protocol). Measured, seeds 0-1, harm preference over the two harm
#: sessions, harmed / paired control: intact 0.74 / 1.0, 0.82 / 0.86 (shifts 0.27, 0.04); cortex-critic
#: 0.48 / 0.54, 0.57 / 0.44 (0.06, -0.13), its baseline presses at 75/min. Dopamine after harming presses,
#: first harm session, harmed / control: intact -0.55 / +0.32, +0.40 / +0.56 Hz; cortex-critic +0.64 / +0.70,
#: +0.60 / +0.51 Hz. The dip is there in both seeds; the shift is clear in one (seed 1 kept pressing the
#: harming lever at 0.8, its dip a third of seed 0's). The rate tests hold every seed.
SHIFT = 0.1  # intact, mean over seeds and harm sessions
DIP = 0.1  # Hz: dopamine after harming presses, control minus harmed, first harm session


@pytest.fixture(scope="module")
def runs():
    return {key: simulate(resolve("harm-aversion", mode="spiking", seeds=2, lesions=lesions, sets=SHORT),
                          progress=False)
            for key, lesions in (("intact", ()), ("cortex-critic", ("cortex-critic",)))}


def test_harming_lever_loses_preference(runs):
    intact = shift(runs, "intact")
    assert np.mean(list(intact.values())) > SHIFT, intact


def test_harming_presses_are_followed_by_a_dopamine_dip(runs):
    drop = dip(runs["intact"])
    assert all(d > DIP for d in drop.values()), drop


def test_cortex_critic_lesion_spares_lever_learning_and_removes_dip_and_shift(runs):
    rate = values(runs["cortex-critic"], "press_rate", "baseline")
    assert all(r[-1] > 30.0 for r in rate.values()), rate  # presses/min
    assert all(d < DIP for d in dip(runs["cortex-critic"]).values()), dip(runs["cortex-critic"])
    lesioned, intact = shift(runs, "cortex-critic"), shift(runs, "intact")
    assert all(abs(s) < LESIONED for s in lesioned.values()), lesioned
    assert np.mean(list(intact.values())) - np.mean(list(lesioned.values())) > SHIFT, (intact, lesioned)
