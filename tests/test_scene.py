"""The multi-agent scene: channels, what reaches the subject of whom, routing, validation."""

import numpy as np
import pytest

from circuits.scene import EVENTS, OTHERS, SOCIAL_CHANNELS, Scene, Scenes, route
from regions.errors import VicariousError


@pytest.fixture
def scene():
    return Scene(3, noise=0.0)


def test_channels_cover_every_frame_and_values_stay_in_0_1():
    scene = Scene(0, noise=0.3)
    sizes = dict(scene.channels())
    for event in EVENTS:
        for target in ("self", "cagemate", 0.0):
            frame = scene.frame(event, target)
            assert {k: len(v) for k, v in frame.items()} == sizes
            assert all(np.all((v >= 0) & (v <= 1)) for v in frame.values())


def test_own_events_drive_the_body_and_others_do_not(scene):
    assert scene.frame("footshock", "self")["nociception"].any()
    assert not scene.frame("footshock", "cagemate")["nociception"].any()
    assert scene.frame("eating", "self")["taste"].any() and scene.frame("groomed", "self")["touch"].any()
    assert not scene.frame("eating", "self")["pain_expression"].any()


def test_the_others_expression_mixes_canonical_and_own_pattern_by_similarity(scene):
    self_like = scene.frame("footshock", 1.0)["pain_expression"]
    stranger = scene.frame("footshock", 0.0)["pain_expression"]
    assert np.allclose(self_like, scene.canonical["footshock"])
    assert np.allclose(stranger, scene.idiosyncratic["footshock"])
    half = scene.frame("footshock", 0.5)["pain_expression"]
    assert np.allclose(half, 0.5 * (self_like + stranger))


def test_the_subject_hears_its_own_expression_but_does_not_see_it(scene):
    own = scene.frame("footshock", "self")["pain_expression"].reshape(3, -1)  # sight, sound, smell
    canonical = scene.canonical["footshock"].reshape(3, -1)
    assert not own[0].any() and np.allclose(own[1:], canonical[1:])


def test_a_missing_sense_zeroes_its_sub_vector():
    deaf = Scene(3, senses=("sight", "smell"), noise=0.0)
    expression = deaf.frame("footshock", "cagemate")["pain_expression"].reshape(3, -1)
    assert not expression[1].any() and expression[0].any()


def test_overlap_with_self_rises_with_similarity(scene):
    def cosine(a, b):
        return a @ b / np.linalg.norm(a) / np.linalg.norm(b)
    own = scene.vector(scene.frame("footshock", "self"))
    values = [cosine(own, scene.vector(scene.frame("footshock", s))) for s in sorted(OTHERS.values())]
    assert np.all(np.diff(values) > 0)


def test_patterns_are_fixed_per_seed_and_the_shuffle_is_a_derangement():
    a, b, c = Scene(5, noise=0.0), Scene(5, noise=0.0), Scene(6, noise=0.0)
    assert np.array_equal(a.vector(a.frame("eating", "stranger")), b.vector(b.frame("eating", "stranger")))
    assert not np.array_equal(a.vector(a.frame("eating", "stranger")), c.vector(c.frame("eating", "stranger")))
    assert sorted(a.shuffle.values()) == sorted(EVENTS) and all(k != v for k, v in a.shuffle.items())


def test_development_mixes_self_other_and_together():
    life = Scene(0).development(300, "cagemate", p_together=0.3)
    kinds = {targets for _, targets in life}
    assert kinds == {("self",), ("cagemate",), ("self", "cagemate")}
    assert {event for event, _ in life} == set(EVENTS)


def test_route_sends_channels_to_agent_copies_where_they_exist(scene):
    frame = scene.frame("footshock", "cagemate")
    shared = route([("cagemate", frame)], {name: None for name, _ in scene.channels()})
    assert set(shared) == set(frame)
    split = {f"{name}@{a}": None for name, _ in scene.channels() for a in ("self", "other")}
    assert set(route([("cagemate", frame)], split)) == {f"{name}@other" for name in frame}
    both = route([("self", scene.frame("footshock", "self")), ("cagemate", frame)],
                 {name: None for name, _ in scene.channels()})
    assert np.allclose(both["context"], frame["context"]) and both["nociception"].any()


@pytest.mark.parametrize("call, message", [
    (lambda s: s.frame("footshok"), "did you mean 'footshock'"),
    (lambda s: s.frame("eating", "stanger"), "did you mean 'stranger'"),
    (lambda s: s.frame("eating", 1.5), "out of range"),
    (lambda s: s.frame("eating", None), "neither a name"),
    (lambda s: Scene(0, senses=("sight", "tuch")), "unknown sense 'tuch'"),
    (lambda s: s.development(10, "cagemate", p_together=2), "p_together"),
])
def test_bad_input_gets_a_clear_error(scene, call, message):
    with pytest.raises(VicariousError, match=message):
        call(scene)


def test_salience_scales_what_is_perceived_of_another_and_nothing_of_the_self(scene):
    populations = {name: None for name, _ in scene.channels()}
    other, own = scene.frame("footshock", "cagemate"), scene.frame("footshock", "self")
    plain, salient = route([("cagemate", other)], populations), route([("cagemate", other)], populations, 1.5)
    for name in plain:
        assert np.allclose(salient[name], plain[name] * (1.5 if name in SOCIAL_CHANNELS else 1.0)), name
    assert "context" in plain and any(plain[name].any() for name in SOCIAL_CHANNELS if name in plain)
    mine = route([("self", own)], populations, 1.5)
    assert all(np.array_equal(mine[name], own[name]) for name in own)


def test_a_marker_is_the_same_badge_on_any_other_and_is_never_the_subjects_own():
    scenes = Scenes([Scene(seed, markers=3, noise=0.0) for seed in (0, 1)], np.random.default_rng(0))
    event = EVENTS.index("exploring")
    near, far = (scenes.frame([event, event], target=s, marker=[2, -1]) for s in (0.9, 0.1))
    assert np.array_equal(near["marker"], far["marker"])  # independent of similarity
    assert near["marker"][0].any() and not near["marker"][1].any()  # negative: no marker
    assert "marker" not in scenes.frame([event, event]) or not scenes.frame([event, event])["marker"].any()
    with pytest.raises(VicariousError, match="out of range"):
        scenes.frame([event, event], target=0.5, marker=[3, 0])
    with pytest.raises(VicariousError, match="no group markers"):
        Scenes([Scene(0)], np.random.default_rng(0)).frame([event], target=0.5, marker=[0])
