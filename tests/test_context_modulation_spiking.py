"""Context modulation in spiking mode (4 animals in one cohort, the rate tests' protocol, no harm test): group
life with competition teaches the gate to suppress the out-group against the in-group, and the late CeA
response to the other's pain follows. Its own module so that the test runner can run it beside the rate
module. The competition control and the PFC lesion are tested in rate mode only (each spiking cohort costs
about 13 minutes on one core); both were measured in spiking mode too (below).

Measured (seeds 0-3): the gate's gain on the last day of group life, in-group 1.31, 1.66, 1.86, 1.77 and
out-group 0.87, 1.33, 1.31, 0.69 (in-group minus out-group 0.33-1.07 in every animal); late CeA response to
the other's pain, in-group 8.1-17.5 Hz against out-group 3.9-8.7 Hz (1.8-8.8 Hz higher in every animal);
rival 7.0-13.2 Hz, novel 7.2-12.9 Hz. In the competition control (``paradigm.competition=0``) in-group minus
out-group gain is -0.16 to 0.33 (mean 0.03), and the out-group's gain is 0.52-1.19 higher than with competition.
Without the PFC the late CeA responses to the four groups span 1.4-1.7 Hz per animal (intact 1.8-8.8 Hz).
"""

import numpy as np
import pytest
from test_context_modulation import SHORT, in_test, last_day

from circuits.config import resolve
from circuits.runner import simulate

SEEDS = 4
GAIN_GAP = 0.2  # in-group minus out-group gain on the last day of group life, every animal
CEA_GAP = 1.0  # Hz, late CeA, in-group minus out-group, every animal


@pytest.fixture(scope="module")
def intact():
    return simulate(resolve("context-modulation", mode="spiking", seeds=SEEDS, sets=SHORT + ["paradigm.harm_test=0"]),
                    progress=False)


def test_competition_teaches_the_spiking_gate_to_suppress_the_out_group(intact):
    gap = last_day(intact, "gain_cea", "ingroup") - last_day(intact, "gain_cea", "outgroup")
    assert len(gap) == SEEDS and np.all(gap > GAIN_GAP), gap


def test_the_spiking_gate_scales_the_late_response_to_the_others_pain(intact):
    gap = in_test(intact, "cea_late", "ingroup") - in_test(intact, "cea_late", "outgroup")
    assert np.all(gap > CEA_GAP), gap
