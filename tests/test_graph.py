"""The circuit graph, its Brian2 build, and lesions as composable graph transforms."""

import brian2 as b2
import numpy as np
import pytest

from circuits.build import build
from circuits.graph import default_circuit, projections, social_salience
from circuits.lesions import (
    ARCHITECTURES,
    LESIONS,
    apply_lesions,
    freeze_plasticity,
    parse_lesion,
    remove_population,
    remove_region,
    scale_gain,
    scale_projection,
)
from circuits.scene import Scene
from circuits.variants import animal_circuit
from regions import REGIONS
from regions.errors import VicariousError


@pytest.fixture(scope="module")
def graph():
    return default_circuit()


def test_default_circuit_has_every_region_and_valid_wiring(graph):
    assert set(graph.nodes) == set(REGIONS)
    keys = {k for _, _, k, _ in projections(graph)}
    assert {"cortex_to_bla", "pag_teach", "cortex_to_d1", "cortex_to_d2", "direct_pathway"} <= keys


@pytest.mark.parametrize("mode", ["rate", "spiking"])
def test_build_makes_one_group_and_one_synapse_object_per_port_and_rule(graph, mode):
    built = build(graph, mode)
    assert len(built.group) == sum(r.size() for r in built.regions.values())
    kinds = {(p.port, p.plasticity or "fixed", p.eligibility if p.plasticity == "three_factor" else "")
             for _, _, _, p in projections(graph)}
    assert len(built.synapses) == len(kinds)
    w = built.weights("cortex_to_bla")
    assert len(w) == built.regions["cortex"].size() * built.regions["bla"].size()


def test_remove_region_drops_its_projections_and_leaves_the_input_untouched(graph):
    lesioned = remove_region(graph, "bla")
    assert "bla" not in lesioned and "bla" in graph
    assert all("bla" not in (s, t) for s, t, _, _ in projections(lesioned))
    built = build(lesioned)
    assert "bla" not in built.regions and "cortex_to_bla" not in built.edges


def test_remove_population_silences_units_and_drops_their_projections(graph):
    lesioned = remove_population(graph, "cortex", "acc_insula")
    built = build(lesioned)
    units = built.units("cortex", "acc_insula")
    assert np.all(built.group.gain[units] == 0) and np.all(built.group.noise[units] == 0 * b2.Hz)
    assert "thalamus_to_acc_insula" not in built.edges  # its only target is gone
    syn, index = built.projection("cortex_to_bla")
    assert not np.isin(np.asarray(syn.i[:])[index], np.arange(units.start, units.stop)).any()


def test_scale_gain_and_projection_and_freeze_compose(graph):
    lesioned = freeze_plasticity(scale_projection(scale_gain(graph, "bla", 0.5), "cortex_to_bla", 0.25),
                                 "cortex_to_bla")
    built = build(lesioned)
    assert np.allclose(built.group.gain[built.units("bla")], 0.5)
    syn, index = built.projection("cortex_to_bla")
    assert np.allclose(np.asarray(syn.efficacy[:])[index], 0.2 * 0.25)
    assert np.all(np.asarray(syn.plastic[:])[index] == 0)
    assert np.allclose(build(graph).group.gain[built.units("bla")], 1.0)  # the original is unchanged


@pytest.mark.parametrize("name", sorted(LESIONS))
def test_every_named_lesion_applies_at_full_and_partial_severity(graph, name):
    for spec in (name, f"{name}:0.5") if name not in ARCHITECTURES else (name,):
        lesioned = apply_lesions(graph, [spec])
        build(lesioned)
        assert lesioned is not graph


def test_library_lesions_act_where_their_docs_say(graph):
    def edge(g, key):
        return next(p for _, _, k, p in projections(g) if k == key)
    blunted = apply_lesions(graph, ["punishment-learning:0.75"])
    assert edge(blunted, "cortex_to_bla").learning == pytest.approx(0.25)
    assert edge(blunted, "cortex_to_d2").learning == pytest.approx(0.25)
    assert edge(blunted, "cortex_to_d1").learning == 1.0  # reward learning spared
    up, down = apply_lesions(graph, ["oxytocin-up:0.5"]), apply_lesions(graph, ["oxytocin-down:0.5"])
    assert social_salience(up) == 1.5 and social_salience(down) == 0.5 and social_salience(graph) == 1.0
    assert up.nodes["thalamus"]["gain"] == graph.nodes["thalamus"]["gain"]  # the relays themselves unchanged
    assert social_salience(apply_lesions(graph, ["oxytocin-up:0.5", "oxytocin-up:0.5"])) == 2.25
    psychopathy = apply_lesions(graph, ["psychopathy"])
    assert psychopathy.nodes["bla"]["gain"]["*"] == pytest.approx(0.2)
    assert edge(psychopathy, "cortex_to_appetitive").scale == edge(psychopathy, "cortex_to_aversive").scale \
        == pytest.approx(0.2)
    assert edge(psychopathy, "cortex_to_bla").learning == pytest.approx(0.2)
    assert edge(psychopathy, "cortex_to_d1").scale == 1.0  # instrumental learning spared


def test_oracle_reward_reads_the_true_self_state(graph):
    oracle = apply_lesions(graph, ["oracle-reward"])
    keys = {k: (s, p) for s, _, k, p in projections(oracle)}
    assert not {"cortex_to_bla", "cortex_to_appetitive", "cortex_to_aversive"} & set(keys)
    source, proj = keys["oracle_to_bla"]
    assert source == "thalamus" and set(proj.source_pops) == {"nociception", "food"} and proj.plasticity == "delta"
    assert keys["oracle_to_aversive"][1].target_pops == ("aversive",) and keys["oracle_to_aversive"][1].dopamine_sign == -1
    both = apply_lesions(graph, ["egocentric-cortex", "oracle-reward"])
    assert [k for _, _, k, _ in projections(both)].count("oracle_to_bla") == 1
    with pytest.raises(VicariousError, match="no severity"):
        apply_lesions(graph, ["oracle-reward:0.5"])


def test_an_egocentric_cortex_keeps_the_marker_gate_one_to_one():
    marked = animal_circuit(Scene(0, markers=4).channels() + (("food", 4),))
    ego = {k: p for _, _, k, p in projections(apply_lesions(marked, ["egocentric-cortex"]))}
    assert "marker_to_social" not in ego
    for agent in ("self", "other"):  # each copy of the marker channel drives the social units unit for unit
        proj = ego[f"marker_to_social@{agent}"]
        assert proj.connectivity == "one_to_one" and proj.source_pops == (f"marker@{agent}",)
    build(apply_lesions(marked, ["egocentric-cortex"]), "rate", 0)


def test_lesion_errors_name_what_is_allowed(graph):
    with pytest.raises(VicariousError, match="did you mean 'amygdala'"):
        parse_lesion("amygdla")
    with pytest.raises(VicariousError, match=r"allowed: \[0, 1\]"):
        parse_lesion("amygdala:1.5")
    with pytest.raises(VicariousError, match="unknown projection"):
        apply_lesions(graph, ["cut:cortex_to_nowhere"])
    with pytest.raises(VicariousError, match="unknown population of cortex"):
        apply_lesions(graph, ["remove:cortex.v1"])
