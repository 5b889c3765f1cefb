"""The multi-agent scene: the subject's life as named sensory channels.

Events (:data:`EVENTS`) happen to the subject itself or to another animal it sees and
hears. A frame (:meth:`Scene.frame`) maps each channel to relay-unit values in [0, 1];
a paradigm multiplies them by a stimulus rate. What reaches the subject:

* ``context`` — where the event happens (grid floor, food hopper, lever, open arena,
  nest), seen whoever it happens to;
* its **body** channels, only for its own events: ``nociception`` (footshock),
  ``taste`` (eating), ``proprioception`` (pressing, exploring), ``touch`` (being groomed);
* the **expression** of the event — ``pain_expression`` for a footshock (squeal, posture,
  alarm odour), ``expression`` for the others — each split into sight, sound and smell
  sub-vectors. Another's expression is the species-typical (canonical) pattern weighted by
  its similarity ``s`` plus its own idiosyncratic pattern weighted by ``1 - s``. The
  subject hears and smells its own expression (the canonical pattern) but does not see
  it: facial and postural displays are "perceptually opaque" to their producer (Heyes 2010);
* ``agent`` — who is seen: a viewpoint sub-vector (first-person for the self,
  third-person for another) and an identity sub-vector (the subject's own features for
  the self; ``s`` own + ``1 - s`` idiosyncratic for another);
* ``marker`` (only in a scene made with ``markers``) — a group badge that another carries (a
  colony odour, a dye mark): one of ``markers`` fixed patterns, the same whoever wears it and
  independent of similarity, so that group and similarity can be varied apart. The subject
  carries none of its own.

Senses the subject lacks (``senses``) zero their expression sub-vectors. Nothing in a
frame says who is who beyond these features. Patterns are fixed per seed; the noise of
each frame comes from a separate stream.
"""

import numpy as np

from regions.errors import VicariousError, unknown

EVENTS = ("footshock", "eating", "pressing", "exploring", "groomed")
SENSES = ("sight", "sound", "smell")
#: Named others as points on the similarity scale. Order from the literature: pain
#: contagion between cagemates but not strangers (Langford et al. 2006); rats help
#: strangers of their own strain, not of another (Ben-Ami Bartal et al. 2014); the
#: values themselves are placeholders on a continuous scale.
OTHERS = {"self_like": 1.0, "cagemate": 0.9, "stranger": 0.7, "other_strain": 0.5, "other_species": 0.2}
TARGETS = ("self",) + tuple(OTHERS)
BODY = {"footshock": "nociception", "eating": "taste", "pressing": "proprioception",
        "exploring": "proprioception", "groomed": "touch"}
EXPRESSION = {event: "pain_expression" if event == "footshock" else "expression" for event in EVENTS}
AGENTS = ("self", "other")
#: Channels that carry another animal when it is the one perceived: its expression, who it is and its group.
SOCIAL_CHANNELS = ("pain_expression", "expression", "agent", "marker")


class Scene:
    """The scene of one subject (seeded); see the module docstring.

    ``units`` is the size of each body channel, sense sub-vector and agent sub-vector;
    ``noise`` the standard deviation of the Gaussian noise added to every frame value
    (then clipped to [0, 1]); ``density`` the fraction of a pattern's units that are on.
    """

    def __init__(self, seed, senses=SENSES, units=4, noise=0.1, density=0.5, markers=0):
        senses = tuple(senses)
        for sense in senses:
            if sense not in SENSES:
                raise unknown("sense", sense, SENSES)
        if not 1 <= units <= 100:
            raise VicariousError(f"scene units = {units!r} is out of range; allowed: [1, 100]")
        if not 0.0 <= noise <= 1.0:
            raise VicariousError(f"scene noise = {noise!r} is out of range; allowed: [0, 1]")
        if not 0.0 < density <= 1.0:
            raise VicariousError(f"scene density = {density!r} is out of range; allowed: (0, 1]")
        if not 0 <= markers <= 100:
            raise VicariousError(f"scene markers = {markers!r} is out of range; allowed: [0, 100]")
        self.senses, self.units, self.noise, self.density = senses, units, noise, density
        patterns = np.random.default_rng([seed, 1])
        self.rng = np.random.default_rng([seed, 2])
        n = units
        self.context = {e: self._pattern(patterns, n) for e in EVENTS}
        self.body = {e: self._pattern(patterns, n) for e in EVENTS}
        self.canonical = {e: self._pattern(patterns, 3 * n) for e in EVENTS}
        self.idiosyncratic = {e: self._pattern(patterns, 3 * n) for e in EVENTS}
        self.viewpoint = {a: self._pattern(patterns, n) for a in AGENTS}
        self.identity = {a: self._pattern(patterns, n) for a in AGENTS}
        # the shuffled world pairs the other's expressions with the wrong events (a derangement)
        order = patterns.permutation(len(EVENTS))
        self.shuffle = {EVENTS[order[i]]: EVENTS[order[(i + 1) % len(EVENTS)]] for i in range(len(EVENTS))}
        self.markers = [self._pattern(patterns, 2 * n) for _ in range(markers)]  # drawn last: the rest stays
        self._sense_mask = np.repeat([s in senses for s in SENSES], n).astype(float)

    def _pattern(self, rng, n):
        """``density * n`` (at least one) units on at values in [0.5, 1], the rest off."""
        out = np.zeros(n)
        on = rng.choice(n, max(1, round(self.density * n)), replace=False)
        out[on] = rng.uniform(0.5, 1.0, len(on))
        return out

    def channels(self):
        """``((name, units), ...)`` in a fixed order: what the thalamus relays."""
        n = self.units
        marker = (("marker", 2 * n),) if self.markers else ()
        return (("context", n), ("nociception", n), ("taste", n), ("proprioception", n), ("touch", n),
                ("pain_expression", 3 * n), ("expression", 3 * n), ("agent", 2 * n)) + marker

    def frame(self, event, target="self", shuffled=False, noisy=True):
        """Channel name -> values in [0, 1] for ``event`` happening to ``target``.

        ``target`` is ``"self"``, a named other (:data:`OTHERS`) or a similarity in [0, 1].
        ``shuffled``: the other's expression is that of another event (a fixed derangement).
        """
        if event not in EVENTS:
            raise unknown("event", event, EVENTS)
        batch = Scenes([self], self.rng)
        frame = batch.frame(np.array([EVENTS.index(event)]), target, shuffled, noisy)
        return {name: values[0] for name, values in frame.items()}

    def vector(self, frame):
        """The frame's channels concatenated in :meth:`channels` order."""
        return np.concatenate([frame[name] for name, _ in self.channels()])

    @staticmethod
    def similarity(target):
        """None for the self, else the other's similarity in [0, 1] (from a name or a number)."""
        if isinstance(target, str):
            if target == "self":
                return None
            if target not in OTHERS:
                raise unknown("target", target, TARGETS)
            return OTHERS[target]
        try:
            value = float(target)
        except (TypeError, ValueError):
            raise VicariousError(f"target {target!r} is neither a name ({', '.join(TARGETS)}) "
                                 "nor a similarity in [0, 1]") from None
        if not 0.0 <= value <= 1.0:
            raise VicariousError(f"similarity {value!r} is out of range; allowed: [0, 1]")
        return value

    def development(self, n_events, other, p_together=0.3):
        """A random life: ``n_events`` pairs ``(event, targets)``.

        ``targets`` is ``("self",)``, ``(other,)`` or, with probability ``p_together``,
        ``("self", other)``: both undergo the event at once — social rodents eat, get shocked
        and groom together, and correlated experience of one's own and another's state is what
        associative accounts of mirror neurons learn from (Heyes 2010; Cook et al. 2014). The
        rest is split evenly between the self alone and the other alone.
        """
        self.similarity(other)
        if not 0.0 <= p_together <= 1.0:
            raise VicariousError(f"p_together = {p_together!r} is out of range; allowed: [0, 1]")
        events = self.rng.choice(len(EVENTS), n_events)
        kinds = self.rng.choice(3, n_events, p=[(1 - p_together) / 2, (1 - p_together) / 2, p_together])
        targets = (("self",), (other,), ("self", other))
        return [(EVENTS[e], targets[k]) for e, k in zip(events, kinds)]


def parse_other(text, name):
    """A named other or a similarity in [0, 1] from a parameter's text (the self is refused)."""
    try:
        value = float(text)
    except ValueError:
        value = text
    if value == "self":
        raise VicariousError(f"{name} cannot be 'self'; allowed: a named other ({', '.join(OTHERS)}) "
                             "or a similarity in [0, 1]")
    Scene.similarity(value)
    return value


def parse_senses(text, name):
    """The senses named in the comma-separated ``text`` (at least one)."""
    senses = tuple(s.strip() for s in text.split(",") if s.strip())
    for sense in senses:
        if sense not in SENSES:
            raise unknown(f"sense in {name}", sense, SENSES)
    if not senses:
        raise VicariousError(f"{name} is empty; allowed: one or more of {', '.join(SENSES)}")
    return senses


def route(frames, populations, salience=1.0):
    """Thalamic population -> values for frames ``((target, frame), ...)`` perceived at once.

    A channel goes to its ``@self``/``@other`` copy where the circuit has one (the egocentric
    control), else to the shared channel; frames meeting in one population combine by
    their maximum (a relay unit carries the stronger of two signals). ``salience`` multiplies
    what another's frame carries on the :data:`SOCIAL_CHANNELS` (the salience of others'
    signals: see :func:`circuits.graph.social_salience`).
    """
    out = {}
    for target, frame in frames:
        agent = "self" if target == "self" else "other"
        for name, values in frame.items():
            pop = f"{name}@{agent}" if f"{name}@{agent}" in populations else name
            if pop not in populations:
                raise unknown("thalamic channel", pop, populations)
            if agent == "other" and salience != 1.0 and name in SOCIAL_CHANNELS:
                values = values * salience
            out[pop] = np.maximum(out[pop], values) if pop in out else values
    return out


class Scenes:
    """The scenes of a cohort's animals stacked, rendered for all animals at once.

    ``frame`` takes one event per animal (indices into :data:`EVENTS`) and returns channel ->
    array (animals x units), as :meth:`Scene.frame` does for one animal; the noise of every
    frame is drawn from ``rng`` for the whole cohort in one call.
    """

    def __init__(self, scenes, rng):
        first = scenes[0]
        if any(s.units != first.units for s in scenes):
            raise VicariousError("the scenes of a cohort must have the same number of units")
        self.scenes, self.units, self.noise, self.rng, self.n = tuple(scenes), first.units, first.noise, rng, len(scenes)
        self.layout = first.channels()

        def stack(attr, keys):
            return np.array([[getattr(s, attr)[k] for k in keys] for s in scenes])

        self.context, self.body = stack("context", EVENTS), stack("body", EVENTS)
        self.canonical, self.idiosyncratic = stack("canonical", EVENTS), stack("idiosyncratic", EVENTS)
        self.viewpoint, self.identity = stack("viewpoint", AGENTS), stack("identity", AGENTS)
        self.markers = np.array([s.markers for s in scenes])  # animals x markers x units
        self.shuffle = np.array([[EVENTS.index(s.shuffle[e]) for e in EVENTS] for s in scenes])
        self.senses = np.array([s._sense_mask for s in scenes])  # animals x 3 units
        unseen = np.repeat([sense != "sight" for sense in SENSES], self.units)
        self.own = self.senses * unseen  # the subject's own display: heard and smelt, not seen
        self.animals = np.arange(self.n)

    def frame(self, events, target="self", shuffled=False, noisy=True, sense=None, marker=None):
        """Channel -> values (animals x units) for ``events`` (one index per animal) happening to ``target``.

        ``target`` is ``"self"``, a named other, or a similarity (a number, or one per animal).
        ``sense`` keeps only that sense's part of the expression (a recording), nothing else.
        ``marker``: the index of the group marker another wears (one per animal; negative: none).
        """
        events = np.broadcast_to(np.asarray(events, dtype=int), (self.n,))
        a = self.animals
        out = {name: np.zeros((self.n, size)) for name, size in self.layout}
        out["context"] = self.context[a, events]
        if isinstance(target, str) and target == "self":
            for index, event in enumerate(EVENTS):
                mine = (events == index)[:, None]
                out[BODY[event]] = out[BODY[event]] + self.body[a, events] * mine
                out[EXPRESSION[event]] = out[EXPRESSION[event]] + self.canonical[a, events] * self.own * mine
            out["agent"] = np.concatenate([self.viewpoint[:, 0], self.identity[:, 0]], axis=1)
        else:
            s = np.broadcast_to(np.asarray(_similarities(target), dtype=float), (self.n,))[:, None]
            shown = self.shuffle[a, events] if shuffled else events
            mix = (s * self.canonical[a, shown] + (1 - s) * self.idiosyncratic[a, shown]) * self.senses
            pain = (shown == EVENTS.index("footshock"))[:, None]
            out["pain_expression"], out["expression"] = mix * pain, mix * ~pain
            identity = s * self.identity[:, 0] + (1 - s) * self.identity[:, 1]
            out["agent"] = np.concatenate([self.viewpoint[:, 1], identity], axis=1)
            if marker is not None:
                out["marker"] = self._marker(marker)
        if noisy and self.noise:
            width = sum(size for _, size in self.layout)
            noise = self.rng.normal(0, self.noise, (self.n, width))
            edges = np.cumsum([0] + [size for _, size in self.layout])
            out = {name: np.clip(out[name] + noise[:, edges[i]:edges[i + 1]], 0, 1)
                   for i, (name, _) in enumerate(self.layout)}
        if sense is not None:
            heard = np.repeat([x == sense for x in SENSES], self.units)
            out = {name: values * heard if name in ("pain_expression", "expression") else values * 0
                   for name, values in out.items()}
        return out

    def _marker(self, marker):
        """The marker patterns (animals x units) of ``marker`` (an index per animal; negative: none)."""
        if "marker" not in dict(self.layout):
            raise VicariousError("this scene has no group markers (make it with markers > 0)")
        marker = np.broadcast_to(np.asarray(marker, dtype=int), (self.n,))
        count = self.markers.shape[1]
        if np.any(marker >= count):
            raise VicariousError(f"group marker {int(marker.max())} is out of range; this scene has {count} "
                                 f"(0 to {count - 1})")
        return self.markers[self.animals, np.clip(marker, 0, None)] * (marker >= 0)[:, None]

    def development(self, n_events, other, p_together):
        """Every animal's random life (:meth:`Scene.development`): event and kind indices, animals x events.

        Kind 0: the self alone, 1: the other alone, 2: both at once.
        """
        lives = [scene.development(n_events, other, p_together) for scene in self.scenes]
        events = np.array([[EVENTS.index(e) for e, _ in life] for life in lives], dtype=int).reshape(self.n, n_events)
        kinds = np.array([[2 if len(t) == 2 else int(t[0] != "self") for _, t in life] for life in lives],
                         dtype=int).reshape(self.n, n_events)
        return events, kinds


def _similarities(target):
    """A similarity (or an array of them) from a name, a number or an array."""
    if isinstance(target, np.ndarray):
        return target.astype(float)
    return Scene.similarity(target)
