"""Harm aversion on the canned defaults (``vicarious run harm-aversion --seeds 8``), animal by animal.

The shift is measured over the whole harm phase (``mean_harm_shift``: the paired control's preference
for the harming lever minus the harmed run's, averaged over the four harm sessions), not in one session.

At the defaults the adult cortex keeps learning at its developmental rate, and the shift holds on the
mean but not in every animal: the own shocks, given to a cortex that still learns, leave the reward
model reading the neighbour's pain at 0.45-0.9 of an own footshock, and in the animals that go on
harming its reading fades within the first harm session (docs/calibration.md). With the thalamocortical
critical period closed after development (``paradigm.adult_cortex_learning=0.1``) the shift holds in
all animals but one; that contrast is the test of the mechanism.
"""

import numpy as np
import pytest

from circuits.config import resolve
from circuits.runner import simulate

from paradigm_rows import values

#: Margins. Measured (rate, seeds 0-7, the canned protocol), mean_harm_shift: at the default 0.01, -0.04,
#: 0.90, 0.02, 0.57, -0.00, 0.34, 0.88 (mean 0.34; 4 of 8 above 0.1); with adult_cortex_learning=0.1 0.71, 0.03,
#: 0.94, 0.17, 0.38, 0.48, 0.39, 0.34 (mean 0.43; 7 of 8), the paired control's preference for the harming
#: lever 0.97-1.0 in every session of every animal.
SEEDS = 8
SHIFT = 0.1  # an animal that shifts
MEAN_SHIFT = 0.25
CONTROL_HOLDS = 0.9  # the control's preference for the harming lever (closed critical period)


@pytest.fixture(scope="module")
def runs():
    return {adult: simulate(resolve("harm-aversion", seeds=SEEDS, sets=[f"paradigm.adult_cortex_learning={adult}"]),
                            progress=False)
            for adult in (1.0, 0.1)}


def phase_shift(rows):
    shift = values(rows, "mean_harm_shift", "harm")
    assert len(shift) == SEEDS
    return np.array([s[0] for s in shift.values()])


def test_the_harming_lever_loses_preference_on_average(runs):
    assert phase_shift(runs[1.0]).mean() > MEAN_SHIFT, phase_shift(runs[1.0])


@pytest.mark.xfail(strict=True, reason="at the defaults the shift holds in 4 of 8 animals: in those that go on "
                                       "harming, the reward model's reading of the neighbour's pain fades")
def test_every_animal_turns_away_from_the_harming_lever(runs):
    assert np.all(phase_shift(runs[1.0]) > SHIFT), phase_shift(runs[1.0])


def test_a_closed_critical_period_keeps_the_shift_in_all_animals_but_one(runs):
    closed, open_ = phase_shift(runs[0.1]), phase_shift(runs[1.0])
    assert (closed > SHIFT).sum() >= SEEDS - 1 and closed.mean() > MEAN_SHIFT, closed
    assert (closed > SHIFT).sum() >= (open_ > SHIFT).sum() + 2, (closed, open_)
    control = values(runs[0.1], "harm_preference", "harm", "control")
    assert all(min(c) > CONTROL_HOLDS for c in control.values()), control  # the shift is not the control's drift
