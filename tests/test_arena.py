"""The Arena: a cohort of animals in one network, each animal what it would be alone.

Seed s in a cohort is the same animal as seed s alone: the same initial weights and scene, its own
actions and outcomes. With every source of noise switched off its numbers are exactly those of the
lone run; with noise on they differ only because the network draws one noise stream for the whole
cohort (see circuits.arena), so the cohort is recorded in provenance.
"""

import dataclasses
import json

import brian2 as b2
import numpy as np
import pytest

from circuits import readout
from circuits.arena import Animal, Arena, Percept, Sight
from circuits.cohorts import cohorts
from circuits.config import resolve
from circuits.graph import declared_inputs
from circuits.paradigms import PARADIGMS
from circuits.runner import run, simulate
from circuits.scene import Scene, Scenes
from regions.errors import VicariousError

TINY = ["paradigm.sessions=2", "paradigm.trials=4"]


def quiet(paradigm):
    """``--set`` items that switch off the noise of every region of ``paradigm``'s circuit."""
    spec = PARADIGMS[paradigm]
    graph = spec.circuit(spec.Params())
    return [f"{name}.noise=0*Hz" for name, data in graph.nodes(data=True)
            if "noise" in {f.name for f in dataclasses.fields(data["region"].params)}]


def by_seed(rows, seed):
    return [{k: v for k, v in r.items() if k != "seed"} for r in rows if r["seed"] == seed]


def test_without_noise_a_seed_in_a_cohort_is_the_seed_alone():
    """cue-conditioning: each animal chooses its own presses and gets its own food and shocks."""
    sets = TINY + quiet("cue-conditioning")
    together = simulate(resolve("cue-conditioning", seeds=3, sets=sets), progress=False)
    alone = simulate(resolve("cue-conditioning", seeds=1, first_seed=1, sets=sets), progress=False)
    assert by_seed(together, 1) == by_seed(alone, 1)
    assert by_seed(together, 0) != by_seed(together, 1)  # the animals differ


def test_with_noise_the_cohort_changes_the_noise_not_the_animal():
    sets = TINY
    config = resolve("cue-conditioning", seeds=2, sets=sets)
    first, second = simulate(config, progress=False), simulate(config, progress=False)
    assert first == second  # same seeds, same cohorts: same numbers
    alone = simulate(resolve("cue-conditioning", seeds=1, first_seed=1, sets=sets), progress=False)
    assert by_seed(first, 1) != by_seed(alone, 1)
    graph = PARADIGMS["cue-conditioning"].circuit(config.params)
    two = Arena({"subject": Animal(graph)}, [0, 1], {}, config.params.step, config.params.stimulus)
    one = Arena({"subject": Animal(graph)}, [1], {}, config.params.step, config.params.stimulus)
    for key in ("cortex_to_d1", "cortex_to_bla"):  # the same animal: the same initial weights
        np.testing.assert_array_equal(two.weights("subject", key)[1], one.weights("subject", key)[0])


def test_runs_are_grouped_into_cohorts_and_provenance_records_them(tmp_path):
    assert cohorts(range(5), 2) == [(0, 1), (2, 3), (4,)]
    run(resolve("fear-conditioning", seeds=3, cohort=2, sets=["paradigm.sessions=1", "paradigm.trials=1"]),
        tmp_path / "out", progress=False)
    provenance = json.loads((tmp_path / "out" / "provenance.json").read_text())
    assert provenance["cohorts"] == [[0, 1], [2]]
    assert json.loads((tmp_path / "out" / "config.json").read_text())["cohort"] == 2
    with pytest.raises(VicariousError, match="--cohort"):
        resolve("fear-conditioning", cohort=0)


def test_scenes_render_every_animal_as_its_own_scene_would():
    scenes = [Scene(s, noise=0.0) for s in (3, 4)]
    batch = Scenes(scenes, np.random.default_rng(0))
    events = np.array([0, 2])  # footshock for the first animal, pressing for the second
    for target in ("self", "cagemate", 0.4):
        frame = batch.frame(events, target)
        for i, scene in enumerate(scenes):
            alone = scene.frame(("footshock", "pressing")[i], target)
            assert all(np.array_equal(frame[k][i], alone[k]) for k in alone)


def test_moments_reach_each_animal_and_bodies_are_read_back():
    graph = PARADIGMS["shock-observation"].circuit(PARADIGMS["shock-observation"].Params())
    arena = Arena({"subject": Animal(graph)}, [0, 1], {}, 50 * b2.ms, 40 * b2.Hz)
    shocked = np.array([1.0, 0.0])  # only the first animal is shocked
    arena.run(4, lambda t: {"subject": Percept((Sight("footshock", x=shocked),), nociception=shocked)})
    pain, movement = arena.body("subject")
    assert pain[0] > 0.5 and pain[1] < 0.1
    noci = arena.rates("subject", "thalamus", "nociception")
    assert noci.shape == (4, 2, 4) and noci[-1, 0].mean() > 30 and noci[-1, 1].mean() < 5


def test_after_development_the_cortex_learns_at_the_adult_rate():
    """``develop(adult=f)``: the thalamocortical projections learn at f times their rate afterwards, nothing
    else changes; at 0 the developed cortex stays as it is while the animal lives on."""
    graph = PARADIGMS["shock-observation"].circuit(PARADIGMS["shock-observation"].Params())
    arena = Arena({"subject": Animal(graph)}, [0], {}, 50 * b2.ms, 40 * b2.Hz)
    plastic = {name: np.array(syn.plastic[:]) for name, syn in arena.sim.built.synapses.items()}
    arena.develop(3, "cagemate", 0.3, adult=0.0)
    cortical = [k for k in arena.sim.built.edges if k.partition("/")[2] in ("thalamus_to_acc_insula",
                                                                          "thalamus_to_association")]
    assert len(cortical) == 2
    for key, (name, index) in arena.sim.built.edges.items():
        after = np.array(arena.sim.built.synapses[name].plastic[:])[index]
        np.testing.assert_array_equal(after, 0.0 if key in cortical else plastic[name][index])
    developed = arena.weights("subject", "thalamus_to_association")
    arena.run(10, lambda t: {"subject": Percept((Sight("footshock"),), nociception=1.0)})
    np.testing.assert_array_equal(arena.weights("subject", "thalamus_to_association"), developed)


def test_the_box_declares_its_lever_input_and_the_arena_refuses_unknown_ones():
    spec = PARADIGMS["lever-refusal"]
    graph = spec.circuit(spec.Params())
    assert declared_inputs(graph)["lever_retracted"]["region"] == "motor_thalamus"
    arena = Arena({"subject": Animal(graph)}, [0], {}, 50 * b2.ms, 40 * b2.Hz)
    with pytest.raises(VicariousError, match="declared input"):
        arena.render({"subject": Percept(inputs={"lever_pulled": 1.0})})


def test_readouts():
    vl = np.array([[[30.0, 30.0]], [[0.0, 0.0]], [[25.0, 25.0]]])  # steps x animals x units
    assert readout.freezing(vl, 20.0)[0] == pytest.approx(2 / 3)
    assert list(readout.chosen(np.array([[5.0, 50.0], [10.0, 12.0]]), 20.0)) == [1, readout.NONE]
    assert readout.dopamine(np.array([[6.0, 8.0]]), 5.0)[0] == 2.0
    assert readout.value(np.array([10.0, 20.0]), np.array([5.0, 5.0])) == 10.0
    x = np.random.default_rng(0).uniform(0, 1, (40, 1))
    assert readout.readout_r2(np.hstack([x, x ** 2]), 2 * x + 1, 4) > 0.95  # ridge-shrunk, still near 1
    assert np.isnan(readout.readout_r2(np.hstack([x, x]), np.ones((40, 1)), 4))
