"""``context-modulation``: a learnt top-down gate on empathy — in-group, out-group, rival and novel others.

The bottom-up response to another's pain (the shared cortical code read by the amygdala and the
striatal pain model) is shaped by what the subject has learnt about *who* the other is
(Cikara & Van Bavel 2014; Hein et al. 2010). Nothing here labels anyone: every other animal has
the same similarity to the subject (``other``) and differs only by the group marker it wears
(:mod:`circuits.scene`: a colony odour, a dye mark), and what a marker predicts is learnt from the
subject's own outcomes in its presence, by the PFC's context gate (:mod:`regions.pfc`).

**Phases**

0. *development* — a life with a cagemate (unmarked); only the cortex learns.
1. *own_shocks* — ``own_shocks`` footshocks of the subject alone on a grid floor: the only place
   its amygdala and striatal pain model learn what pain is.
2. *group_life* (``days``) — each day, in an order of its own, ``encounters`` meals of each kind,
   ``encounter_steps`` long after ``arrive_steps`` alone:

   * *in-group* (marker 0): the marked animal arrives, and the two eat together; it then grooms
     the subject (shared food and grooming: cooperative life);
   * *out-group* (marker 1): the subject is eating when the marked animal arrives and takes its
     food, eating it in view (competition: Lanzetta & Englis 1989; with probability
     ``1 - competition`` it shares the meal as an in-group animal would, so ``competition=0`` is the
     control whose groups never differ in what they bring);
   * *rival* (marker 2; only with ``rival=1``): the marked animal arrives and is shocked, and then
     the subject is fed (the other's loss is the subject's gain);
   * *alone*: the subject eats alone (what a meal is worth without company).

   Everything learns: the critic, the pain model, the amygdala, and the gate.
3. *test* — ``test_trials`` trials per group in an order of its own (learning frozen): after
   ``test_iti_steps`` alone, an animal wearing the group's marker appears in pain for
   ``test_steps``; the *novel* group (marker 3) was never met before.
4. *levers* (with ``harm_test=1``) — ``baseline_sessions`` of two levers in an operant box
   (:class:`circuits.operant.OperantBox`), each paying the same food, until one is preferred.
5. *harm* — ``harm_sessions`` in which the preferred lever also shocks a neighbour (Hernandez-Lallement
   et al. 2020), run three times from the same animal (:meth:`circuits.arena.Arena.branch`): the
   neighbour wears the in-group's marker, the out-group's, or (``control``) none and is never harmed,
   which gives the drift of two equally paid levers.

**Rows** (condition = the group: ``ingroup``, ``outgroup``, ``rival``, ``novel``): in *test*, per
window — ``early`` (the first ``early_steps`` of the other's pain) and ``late`` (the rest) — the
measures ``acc_insula``, ``bla``, ``cea``, ``pag_vl``, ``pain_model`` (mean rates, Hz),
``dopamine`` (VTA − tonic, Hz), ``value`` (the critic's, Hz), ``freezing`` (fraction of steps), and
``gain_cea`` and ``gain_pain_model``: the gain the context gate puts on each response (1: none), from
the social units' rates and the gate's weights; in *group_life*, per day, ``gain_cea`` and
``gain_pain_model`` over that day's encounters with each group, and ``dopamine`` over them.
In *levers*, ``press_rate`` per session; in *harm*, per neighbour and session, ``harm_preference``
(presses on the harming lever over all presses), ``da_harm`` (VTA − tonic in the outcome of
harming presses) and, for the two marked neighbours, ``harm_shift`` (the control's preference
minus theirs; > 0: harm aversion).
**Traces** (phase ``timecourse``): ``cea``, ``dopamine``, ``acc_insula`` and ``gain_cea`` per step
around the other's pain onset (``time`` in s from it), each animal's mean over its trials.
"""

import dataclasses

import numpy as np

from circuits import readout
from circuits.arena import Animal, Arena, Percept, Sight
from circuits.graph import GATE_TARGETS, GATE_WEIGHT
from circuits.operant import HarmParams, OperantBox, subject_circuit
from circuits.paradigms.base import Paradigm
from circuits.scene import EVENTS, Scene
from circuits.variants import animal_circuit
from regions.errors import VicariousError
from regions.params import param

GROUPS = ("ingroup", "outgroup", "rival", "novel")  # a group's marker is its index
ENCOUNTERS = ("ingroup", "outgroup", "rival", "alone")
LEVERS = ("lever_a", "lever_b")
#: The harm test's neighbours: an in-group and an out-group animal, and the control, an unmarked one never harmed.
NEIGHBOURS = ("ingroup", "outgroup", "control")
WINDOWS = ("early", "late")
#: Regions (and populations) whose mean rates the test reports: measure -> (region, population).
RESPONSES = {"bla": ("bla", None), "cea": ("cea", None), "pag_vl": ("pag", "vl"),
             "pain_model": ("ventral_striatum", "pain_model")}
EATING, EXPLORING, FOOTSHOCK, GROOMED = (EVENTS.index(e) for e in ("eating", "exploring", "footshock", "groomed"))


@dataclasses.dataclass(frozen=True)
class ContextModulationParams(HarmParams):
    other: str = param("cagemate", doc="the similarity of every marked animal to the subject, the same for all "
                                       "groups (a name: self_like, cagemate, stranger, other_strain, other_species; "
                                       "or a number in [0, 1]), so that only the marker tells groups apart")
    days: int = param(6, low=1, high=100, doc="days of group life")
    encounters: int = param(4, low=1, high=100, doc="meals of each kind per day (in-group, out-group, rival, alone)")
    competition: float = param(1.0, low=0.0, high=1.0,
                               doc="fraction of out-group meals in which the out-group animal takes the subject's "
                                   "food (the rest it shares; 0: groups never differ, the control)")
    rival: int = param(1, low=0, high=1, doc="meet a rival (its pain, then food for the subject) and test it (1) or not")
    arrive_steps: int = param(10, low=2, high=1000, doc="steps of a meal before the other arrives")
    encounter_steps: int = param(20, low=2, high=1000, doc="steps of a meal with the other present")
    gap_steps: int = param(10, low=1, high=1000, doc="steps alone between meals")
    test_trials: int = param(4, low=1, high=100, doc="test trials per group")
    test_iti_steps: int = param(20, low=1, high=1000, doc="steps alone before each test trial")
    test_steps: int = param(30, low=2, high=1000, doc="steps of the other's pain in a test trial (1.5 s)")
    early_steps: int = param(10, low=1, high=1000, doc="steps of the early window from pain onset (0.5 s)")
    harm_test: int = param(1, low=0, high=1,
                           doc="1: then a harm test (two levers for equal food, the preferred one then shocking an "
                               "in-group or an out-group neighbour, each run from the same animal); 0: none")

    def __post_init__(self):
        super().__post_init__()
        if self.early_steps >= self.test_steps:
            raise VicariousError(f"paradigm.early_steps = {self.early_steps} must be below paradigm.test_steps = "
                                 f"{self.test_steps} (the late window is the rest of the other's pain)")

    def groups(self):
        return tuple(g for g in GROUPS if self.rival or g != "rival")

    def encounter_kinds(self):
        return tuple(e for e in ENCOUNTERS if self.rival or e != "rival")


class ContextModulation(Paradigm):
    name = "context-modulation"
    description = "a learnt PFC gate on empathy: responses to in-group, out-group, rival and novel others in pain"
    reference = ("Lanzetta & Englis 1989; Quirk et al. 2003; Hein et al. 2010; Sierra-Mercado et al. 2011; "
                 "Cikara & Van Bavel 2014")
    Params = ContextModulationParams
    phases = ("group_life", "test", "timecourse", "levers", "harm")
    measures = {
        **{f"{m}_{w}": f"{w} window of the other's pain: {d}" for w in WINDOWS for m, d in (
            ("acc_insula", "ACC/insula rate (Hz)"), ("bla", "BLA rate (Hz)"), ("cea", "CeA rate (Hz)"),
            ("pag_vl", "PAG-vl rate (Hz)"), ("pain_model", "striatal pain-model rate (Hz)"),
            ("dopamine", "VTA rate - tonic (Hz)"), ("value", "critic value, appetitive - aversive (Hz)"),
            ("freezing", "fraction of steps frozen"), ("gain_cea", "context-gate gain on CeA (1: none)"),
            ("gain_pain_model", "context-gate gain on the pain model (1: none)"))},
        "gain_cea": "group_life: context-gate gain on CeA over the day's encounters with the group",
        "gain_pain_model": "group_life: context-gate gain on the pain model over the day's encounters",
        "dopamine": "group_life: VTA rate - tonic (Hz) over the day's encounters with the group",
        "press_rate": "levers: presses per minute of session",
        "harm_preference": "harm: presses on the harming lever over all presses (control: the lever that harms "
                           "in the other runs)",
        "da_harm": "harm: VTA - tonic in the outcome of presses on the harming lever (Hz)",
        "harm_shift": "harm: harming-lever preference, control minus harmed (> 0: harm aversion)",
    }
    figures = ("context_modulation",)
    effects = (("test", "cea_late", "ingroup"), ("test", "cea_late", "outgroup"),
               ("test", "pain_model_late", "outgroup"), ("test", "dopamine_late", "rival"))

    def circuit(self, params, region_params=None):
        if params.harm_test:
            return subject_circuit(params, LEVERS, region_params, markers=len(GROUPS))
        return animal_circuit(Scene(0, params.sense_list(), markers=len(GROUPS)).channels() + (("food", 4),),
                              params=region_params)

    def total_sessions(self, params):
        return 3 + params.days + (params.baseline_sessions + len(NEIGHBOURS) * params.harm_sessions) * params.harm_test

    def run(self, graph, params, seeds, sim_options, progress=None):
        animals = {"subject": Animal(graph, params.sense_list(), noise=params.scene_noise, markers=len(GROUPS))}
        arena = Arena(animals, seeds, sim_options, params.step, params.stimulus)
        arena.develop(params.development_events, "cagemate", params.p_together, adult=params.adult_cortex_learning)
        self.tick(progress)
        life = GroupLife(arena, params)
        life.own_shocks()
        self.tick(progress)
        rows = []
        for day in range(params.days):
            rows += life.day(day)
            self.tick(progress)
        rows += life.test()
        self.tick(progress)
        if params.harm_test:
            rows += life.harm_test(progress)
        return rows


class GroupLife:
    """The subject's encounters with marked others, and the test, for every animal of a cohort."""

    def __init__(self, arena, params):
        self.arena, self.p = arena, params
        self.similarity = Scene.similarity(params.target())
        self.n = arena.n
        self.rngs = [Paradigm.rng(seed, 3) for seed in arena.seeds]

    # -- percepts -----------------------------------------------------------------------------
    def percept(self, own, food=0.0, groomed=0.0, other=None, present=0.0, marker=-1):
        """One step: the subject's own event (index per animal), food and grooming, and the marked other
        (its event, whether it is there, its marker; each per animal)."""
        sights = [Sight(own), Sight(GROOMED, x=groomed)]
        if np.any(present):
            sights.append(Sight(other, self.similarity, x=present, marker=marker))
        return {"subject": Percept(tuple(sights), relays={"food": food})}

    def own_shocks(self):
        p = self.p
        period = p.shock_iti_steps + p.shock_steps

        def moment(t):
            shocked = t % period >= p.shock_iti_steps
            sights = (Sight("footshock"),) if shocked else (Sight("exploring"),)
            return {"subject": Percept(sights, nociception=1.0 if shocked else None, context="footshock")}

        self.arena.run(p.own_shocks * period, moment)

    def meal(self, kinds, competes):
        """The moment function of one meal of ``kinds`` (index into ENCOUNTERS per animal)."""
        p, n = self.p, self.n
        kind = np.asarray([ENCOUNTERS[k] for k in kinds])
        marker = np.array([GROUPS.index(k) if k in GROUPS else -1 for k in kind])
        takes = (kind == "outgroup") & competes
        present = (kind != "alone").astype(float)
        half = p.encounter_steps // 2
        alone = self.percept(np.full(n, EXPLORING))
        before = self.percept(np.where(takes | (kind == "alone"), EATING, EXPLORING),
                              food=(takes | (kind == "alone")).astype(float))
        shocked = kind == "rival"
        fed = ~shocked & ~takes
        first = self.percept(np.where(fed, EATING, EXPLORING), food=fed.astype(float),
                             other=np.where(shocked, FOOTSHOCK, EATING), present=present, marker=marker)
        second = self.percept(np.where(takes, EXPLORING, EATING), food=(~takes).astype(float),
                              groomed=(kind == "ingroup").astype(float),
                              other=np.where(takes, EATING, EXPLORING), present=present, marker=marker)
        early = p.arrive_steps // 2

        def moment(t):
            if t < early:
                return alone
            if t < p.arrive_steps:
                return before
            return first if t < p.arrive_steps + half else second

        return moment, marker

    def day(self, day):
        """One day of meals; rows of the gate's gain and of dopamine over each group's encounters."""
        p, arena = self.p, self.arena
        kinds = [ENCOUNTERS.index(k) for k in p.encounter_kinds()]
        orders = np.array([rng.permutation(np.repeat(kinds, p.encounters)) for rng in self.rngs]).T  # meals x animals
        competes = np.array([rng.random(len(orders)) < p.competition for rng in self.rngs]).T
        length = p.arrive_steps + p.encounter_steps + p.gap_steps
        start = arena.steps_done
        meals = [self.meal(kinds_now, competes_now) for kinds_now, competes_now in zip(orders, competes)]

        def moment(t):  # the whole day in one run: each Network.run pays Brian2's set-up again
            meal, within = divmod(t, length)
            return meals[meal][0](within) if within < length - p.gap_steps else {}

        arena.run(len(meals) * length, moment)
        markers = np.array([marker for _, marker in meals])  # meals x animals
        history = arena.history(start).reshape(len(orders), length, -1)[:, p.arrive_steps:length - p.gap_steps]
        gains = self.gains(history)
        da = readout.dopamine(arena.rates("subject", "vta", history=history), arena.tonic_dopamine("subject"))
        rows = []
        for group in p.groups():
            if group == "novel":
                continue
            met = markers == GROUPS.index(group)
            for measure, values in {**gains, "dopamine": da}.items():
                rows += Paradigm.rows(arena.seeds, group, "group_life", day, measure, readout.over_trials(values, met))
        return rows

    # -- the gate -------------------------------------------------------------------------------
    def gains(self, history):
        """Measure -> the gain (leading axes of ``history`` x animals) the context gate puts on each target:
        1 + context input / context scale, the context input read from the social units' rates and the
        gate's weights (averaged over the target's units). Empty when the circuit has no gate."""
        arena, out = self.arena, {}
        if not arena.has("subject", "pfc"):
            return out
        social = arena.rates("subject", "pfc", "social", history=history)  # ... x animals x units
        for target, pop in GATE_TARGETS.items():
            if not arena.has("subject", target):
                continue
            n_src, n_tgt = social.shape[-1], arena.units("subject", target, pop).shape[1]
            net = sum(sign * arena.weights("subject", f"social_{kind}_{pop}").reshape(self.n, n_src, n_tgt).mean(axis=2)
                      for kind, sign in (("amplifies", 1), ("suppresses", -1)))
            context = GATE_WEIGHT * (social * net).sum(axis=-1)
            scale = float(arena.region("subject", target).params.context_scale)
            out[f"gain_{pop}"] = 1.0 + context / scale
        return out

    # -- test -----------------------------------------------------------------------------------
    def test(self):
        p, arena, n = self.p, self.arena, self.n
        groups = [GROUPS.index(g) for g in p.groups()]
        orders = np.array([rng.permutation(np.repeat(groups, p.test_trials)) for rng in self.rngs]).T  # trials x animals
        length = p.test_iti_steps + p.test_steps
        alone = self.percept(np.full(n, EXPLORING))
        start = arena.steps_done
        pains = [self.percept(np.full(n, EXPLORING), other=np.full(n, FOOTSHOCK), present=np.ones(n), marker=marker)
                 for marker in orders]
        with arena.frozen():
            arena.run(len(orders) * length,
                      lambda t: alone if t % length < p.test_iti_steps else pains[t // length])
        history = arena.history(start).reshape(len(orders), length, -1)
        series = self.responses(history)
        rows, onset = [], p.test_iti_steps
        windows = {"early": slice(onset, onset + p.early_steps), "late": slice(onset + p.early_steps, length)}
        for g in groups:
            mine = orders == g
            for measure, values in series.items():
                for window, steps in windows.items():
                    rows += Paradigm.rows(arena.seeds, GROUPS[g], "test", 0, f"{measure}_{window}",
                                          readout.over_trials(values[:, steps], mine))
                if measure in ("cea", "dopamine", "acc_insula", "gain_cea"):
                    for k in range(onset - 5, length):
                        rows += Paradigm.rows(arena.seeds, GROUPS[g], "timecourse", 0, measure,
                                              readout.over_trials(values[:, k], mine), time=(k - onset) * float(p.step))
        return rows

    def responses(self, history):
        """Measure -> trials x steps x animals over the test's ``history`` (trials x steps x units)."""
        arena = self.arena
        out = {}
        cortex = [arena.rates("subject", c, "acc_insula", history=history) for c in arena.cortex("subject")]
        if cortex:
            out["acc_insula"] = np.concatenate(cortex, axis=-1).mean(axis=-1)
        for measure, (region, pop) in RESPONSES.items():
            if arena.has("subject", region):
                out[measure] = arena.rates("subject", region, pop, history=history).mean(axis=-1)
        if arena.has("subject", "pag"):
            vl = arena.rates("subject", "pag", "vl", history=history)
            out["freezing"] = readout.frozen(vl, arena.freeze_threshold("subject")).astype(float)
        if arena.has("subject", "vta"):
            out["dopamine"] = readout.dopamine(arena.rates("subject", "vta", history=history),
                                               arena.tonic_dopamine("subject"))
        if arena.has("subject", "ventral_striatum"):
            out["value"] = readout.value(arena.rates("subject", "ventral_striatum", "appetitive", history=history),
                                         arena.rates("subject", "ventral_striatum", "aversive", history=history))
        return out | self.gains(history)

    # -- harm test ------------------------------------------------------------------------------
    def harm_test(self, progress=None):
        """Two levers for equal food until one is preferred; then, from the same animal each time, the preferred
        lever also shocks an in-group neighbour, an out-group one, or (the control) harms no one while an unmarked
        neighbour looks on. Rows (phase ``harm``, condition the neighbour): ``harm_preference`` and ``da_harm`` per
        session, and ``harm_shift``, control minus harmed preference (> 0: harm aversion)."""
        p, arena, n = self.p, self.arena, self.n
        box = OperantBox(arena, p, LEVERS)
        unharmed = np.zeros(n, dtype=bool)

        def paid(trial, chosen):
            return (chosen >= 0).astype(float), unharmed

        rows = []
        for session in range(p.baseline_sessions):
            start, chosen, _, _ = box.trials(p.trials, paid)
            rows += Paradigm.rows(arena.seeds, "baseline", "levers", session, "press_rate",
                                  (chosen >= 0).sum(axis=1) / box.minutes(p.trials))
            Paradigm.tick(progress)
        harm = box.preferred(chosen)  # each animal's preferred lever (ties: lever A)
        preference = {}
        for neighbour in NEIGHBOURS:
            harms = neighbour != "control"

            def outcome(trial, chosen, harms=harms):
                return (chosen >= 0).astype(float), (chosen == harm) & harms

            with arena.branch():
                box.marker = np.full(n, GROUPS.index(neighbour)) if harms else None
                for session in range(p.harm_sessions):
                    start, chosen, _, _ = box.trials(p.trials, outcome, harm_steps=p.harm_steps)
                    preference[neighbour, session] = box.preference(chosen, harm)
                    rows += Paradigm.rows(arena.seeds, neighbour, "harm", session, "harm_preference",
                                          preference[neighbour, session])
                    da = box.dopamine(start, p.trials)
                    if da is not None:
                        rows += [r for r in Paradigm.rows(arena.seeds, neighbour, "harm", session, "da_harm",
                                                          box.at_outcome(da, (chosen == harm[:, None]).T))
                                 if np.isfinite(r["value"])]
                    Paradigm.tick(progress)
        for neighbour in NEIGHBOURS[:-1]:
            for session in range(p.harm_sessions):
                rows += Paradigm.rows(arena.seeds, neighbour, "harm", session, "harm_shift",
                                      preference["control", session] - preference[neighbour, session])
        return rows
