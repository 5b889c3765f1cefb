"""Context modulation in spiking mode (4 animals per condition, one cohort each, the rate tests' protocol, no harm
test): group life with competition teaches the gate to suppress the out-group against the in-group, and the late
CeA response to the other's pain follows; in the control whose groups never differ the gains stay together;
without the PFC there is no gate and the groups' late CeA responses come together. Its own module so that the
test runner can run it beside the rate module.

Measured (seeds 0-3): the gate's gain on the last day of group life, in-group 1.31, 1.66, 1.86, 1.77 and
out-group 0.87, 1.33, 1.31, 0.69 (in-group minus out-group 0.33-1.07 in every animal, mean 0.60); late CeA
response to the other's pain, in-group 8.1-17.5 Hz against out-group 3.9-8.7 Hz (1.8-8.8 Hz higher in every
animal); rival 7.0-13.2 Hz, novel 7.2-12.9 Hz. In the competition control (``paradigm.competition=0``)
in-group minus out-group gain is -0.16 to 0.33 (mean 0.03), and the out-group's gain is 0.52-1.19 higher than
with competition in every animal. Late CeA, largest minus smallest over the four groups per animal: without
the PFC 1.43-1.67 Hz, intact 1.8-8.8 Hz (mean 5.0).
"""

import numpy as np
import pytest
from test_context_modulation import TOGETHER, group_life, in_test, last_day, spread

from paradigm_rows import values

SEEDS = 4
GAIN_GAP = 0.2  # in-group minus out-group gain on the last day of group life, every animal
CEA_GAP = 1.0  # Hz, late CeA, in-group minus out-group, every animal
COMPETITION_LOWERS = 0.4  # the out-group's gain, every animal, control minus competition
LESION_SPREAD = 2.5  # Hz, late CeA, largest minus smallest over the groups: every animal without the PFC below it,
#                      the intact animals' mean above it


@pytest.fixture(scope="module")
def intact():
    return group_life(SEEDS, "spiking")


@pytest.fixture(scope="module")
def control():
    return group_life(SEEDS, "spiking", ["paradigm.competition=0"])


@pytest.fixture(scope="module")
def pfc():
    return group_life(SEEDS, "spiking", lesions=("pfc",))


def test_competition_teaches_the_spiking_gate_to_suppress_the_out_group(intact, control):
    gap = last_day(intact, "gain_cea", "ingroup") - last_day(intact, "gain_cea", "outgroup")
    assert len(gap) == SEEDS and np.all(gap > GAIN_GAP), gap
    with_, without = (last_day(rows, "gain_cea", "outgroup") for rows in (intact, control))
    assert np.all(without - with_ > COMPETITION_LOWERS), (with_, without)


def test_the_spiking_gains_stay_together_when_the_groups_bring_the_same(control):
    gap = last_day(control, "gain_cea", "ingroup") - last_day(control, "gain_cea", "outgroup")
    assert len(gap) == SEEDS and abs(gap.mean()) < TOGETHER, gap


def test_the_spiking_gate_scales_the_late_response_to_the_others_pain(intact):
    gap = in_test(intact, "cea_late", "ingroup") - in_test(intact, "cea_late", "outgroup")
    assert np.all(gap > CEA_GAP), gap


def test_without_the_pfc_the_spiking_groups_responses_come_together(intact, pfc):
    assert not values(pfc, "gain_cea", "group_life")
    lesioned = spread(pfc)
    assert len(lesioned) == SEEDS and np.all(lesioned < LESION_SPREAD) and spread(intact).mean() > LESION_SPREAD, \
        (lesioned, spread(intact))
