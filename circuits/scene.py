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
  the self; ``s`` own + ``1 - s`` idiosyncratic for another).

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


class Scene:
    """The scene of one subject (seeded); see the module docstring.

    ``units`` is the size of each body channel, sense sub-vector and agent sub-vector;
    ``noise`` the standard deviation of the Gaussian noise added to every frame value
    (then clipped to [0, 1]); ``density`` the fraction of a pattern's units that are on.
    """

    def __init__(self, seed, senses=SENSES, units=4, noise=0.1, density=0.5):
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
        return (("context", n), ("nociception", n), ("taste", n), ("proprioception", n), ("touch", n),
                ("pain_expression", 3 * n), ("expression", 3 * n), ("agent", 2 * n))

    def frame(self, event, target="self", shuffled=False, noisy=True):
        """Channel name -> values in [0, 1] for ``event`` happening to ``target``.

        ``target`` is ``"self"``, a named other (:data:`OTHERS`) or a similarity in [0, 1].
        ``shuffled``: the other's expression is that of another event (a fixed derangement).
        """
        if event not in EVENTS:
            raise unknown("event", event, EVENTS)
        similarity = self.similarity(target)
        out = {name: np.zeros(size) for name, size in self.channels()}
        out["context"] = self.context[event].copy()
        if similarity is None:  # the subject's own event
            out[BODY[event]] = self.body[event].copy()
            own = self.canonical[event] * self._sense_mask * np.repeat([s != "sight" for s in SENSES], self.units)
            out[EXPRESSION[event]] = own
            out["agent"] = np.concatenate([self.viewpoint["self"], self.identity["self"]])
        else:
            shown = self.shuffle[event] if shuffled else event
            mix = similarity * self.canonical[shown] + (1 - similarity) * self.idiosyncratic[shown]
            out[EXPRESSION[shown]] = mix * self._sense_mask
            identity = similarity * self.identity["self"] + (1 - similarity) * self.identity["other"]
            out["agent"] = np.concatenate([self.viewpoint["other"], identity])
        if noisy and self.noise:
            out = {k: np.clip(v + self.rng.normal(0, self.noise, len(v)), 0, 1) for k, v in out.items()}
        return out

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


def route(frames, populations):
    """Thalamic population -> values for frames ``((target, frame), ...)`` perceived at once.

    A channel goes to its ``@self``/``@other`` copy where the circuit has one (the egocentric
    control), else to the shared channel; frames meeting in one population combine by
    their maximum (a relay unit carries the stronger of two signals).
    """
    out = {}
    for target, frame in frames:
        agent = "self" if target == "self" else "other"
        for name, values in frame.items():
            pop = f"{name}@{agent}" if f"{name}@{agent}" in populations else name
            if pop not in populations:
                raise unknown("thalamic channel", pop, populations)
            out[pop] = np.maximum(out[pop], values) if pop in out else values
    return out
