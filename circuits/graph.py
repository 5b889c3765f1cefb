"""The circuit as a graph: nodes are regions, edges are projections.

A circuit is a :class:`networkx.MultiDiGraph` (a ``DiGraph`` that allows several
projections between two regions, e.g. D1 and D2 pathways). Node attributes:
``region`` (a :class:`~regions.base.Region`), ``gain`` (population -> factor, for graded
hypoactivity) and ``removed`` (populations ablated inside the region). Edge attributes:
``projection`` (a :class:`~regions.base.Projection`); the edge key names the projection.
Projections inside a region are self-loops.
"""

import networkx as nx

from regions import REGIONS
from regions.basal_ganglia import DEFAULT_ACTIONS
from regions.base import Projection, require_port
from regions.errors import VicariousError, unknown
from regions.plasticity import RULE_PORTS
from regions.sensory import DEFAULT_CHANNELS


def add_region(graph, region):
    """Add ``region`` as a node, with its internal projections as self-loops."""
    graph.add_node(region.name, region=region, gain={}, removed=frozenset())
    for key, projection in region.internal_projections().items():
        graph.add_edge(region.name, region.name, key=key, projection=projection)
    return graph


def connect(graph, source, target, key=None, **fields):
    """Add the projection ``source -> target`` named ``key`` (default ``source_to_target``)."""
    for name in (source, target):
        if name not in graph:
            raise unknown("region", name, graph.nodes)
    key = key or f"{source}_to_{target}"
    graph.add_edge(source, target, key=key, projection=Projection(**fields))
    return key


def declare_input(graph, name, region, pop, doc):
    """Declare that a paradigm drives ``region``'s population ``pop`` directly (Hz per unit), as
    ``name``: an input to a non-sensory region that the circuit's drawing shows. Returns ``graph``."""
    if region not in graph:
        raise unknown("region", region, graph.nodes)
    graph.nodes[region]["region"].indices((pop,))
    graph.graph["inputs"] = {**declared_inputs(graph), name: {"region": region, "pop": pop, "doc": doc}}
    return graph


def declared_inputs(graph):
    """Name -> {region, pop, doc} of the inputs declared with :func:`declare_input`."""
    return dict(graph.graph.get("inputs", {}))


def social_salience(graph):
    """The gain on what the animal perceives of others on the social channels (their expressions and who
    they are; :data:`circuits.scene.SOCIAL_CHANNELS`): 1 unless a lesion (oxytocin) changed it."""
    return float(graph.graph.get("social_salience", 1.0))


def projections(graph):
    """Iterate ``(source, target, key, projection)`` over the circuit's projections."""
    for source, target, key, data in graph.edges(keys=True, data=True):
        yield source, target, key, data["projection"]


def find_projection(graph, key):
    """``(source, target, key)`` of the projection named ``key``."""
    matches = [(s, t, k) for s, t, k, _ in projections(graph) if k == key]
    if not matches:
        raise unknown("projection", key, sorted({k for _, _, k, _ in projections(graph)}))
    return matches[0]


def validate(graph):
    """Check populations, ports and learning-rule ports of every projection."""
    for source, target, key, proj in projections(graph):
        src, tgt = graph.nodes[source]["region"], graph.nodes[target]["region"]
        src.indices(proj.source_pops)
        tgt.indices(proj.target_pops)
        require_port(tgt, proj.port)
        for port in RULE_PORTS.get(proj.plasticity, ()):  # e.g. delta needs a teacher
            if port not in tgt.ports:
                raise VicariousError(f"projection {key!r} uses rule {proj.plasticity!r}, which needs port "
                                     f"{port!r} on {target!r}")
        n_src, n_tgt = len(src.indices(proj.source_pops)), len(tgt.indices(proj.target_pops))
        if proj.connectivity == "one_to_one" and n_src != n_tgt:
            raise VicariousError(f"projection {key!r} is one_to_one but has {n_src} sources and {n_tgt} targets")
        if proj.connectivity == "blocks" and block_count(n_src, n_tgt) is None:
            raise VicariousError(f"projection {key!r} has blocks connectivity but {n_src} sources and {n_tgt} "
                                 "targets: the larger must be a multiple of the smaller (each unit of the smaller "
                                 "side connects to one of as many equal blocks of the larger)")
    return graph


def block_count(n_src, n_tgt):
    """Number of blocks of a ``blocks`` projection between ``n_src`` and ``n_tgt`` units.

    Each unit of the smaller side is a block of its own and the larger side is split into as
    many equal consecutive blocks (see :data:`regions.base.CONNECTIVITY`); ``None`` when the
    larger size is not a multiple of the smaller.
    """
    small, large = min(n_src, n_tgt), max(n_src, n_tgt)
    return small if small and large % small == 0 else None


#: Scene channels the ACC/insula receives (nociception, the expression of pain, who is seen);
#: the association area receives every channel but nociception (see :mod:`regions.cortex`).
ACC_INSULA_CHANNELS = ("nociception", "pain_expression", "agent")
HEBBIAN = dict(plasticity="hebbian", w_low=0.1, w_high=0.5)
#: Negative reward per Hz of the striatal pain model's mean rate (``pain_reward``). At 2.5 an own
#: footshock (pain model ~18 Hz above its resting rate) costs the VTA ~45 Hz of reward, about a
#: pellet's worth (4 food relays x 40 Hz x 0.25): a shock weighs at least as much as the food a
#: press earns, as in punished lever pressing, where shocks of a few tenths of a mA stop a rat
#: pressing for food (Azrin 1960; Church 1969). Measured (harm-aversion, rate, 3 seeds, the test
#: protocol): at 1.0 the neighbour's pain cost a harming press ~30% of its food and the shift
#: was 0.17-0.64 (0.02 when the preference was entrenched by 4 baseline sessions); at 2.5 it was 0.58-0.75.
PAIN_REWARD_GAIN = 2.5


def connect_sensory_cortex(graph, channels, thalamus="thalamus", cortex="cortex", **settings):
    """Wire ``thalamus -> cortex`` (competitive Hebbian): the keys of the projections made.

    ``channels`` are thalamic population names; a name's part before ``@`` (``agent@self``)
    decides its area. ``settings`` override the projections' fields (initial weights, learning).
    """
    fields = {"weight": 0.5, **HEBBIAN, **settings}
    interoceptive = tuple(n for n in channels if n.partition("@")[0] in ACC_INSULA_CHANNELS)
    exteroceptive = tuple(n for n in channels if n.partition("@")[0] != "nociception")
    keys = []
    if interoceptive:
        keys.append(connect(graph, thalamus, cortex, "thalamus_to_acc_insula", source_pops=interoceptive,
                            target_pops=("acc_insula",), **fields))
    if exteroceptive:
        keys.append(connect(graph, thalamus, cortex, "thalamus_to_association", source_pops=exteroceptive,
                            target_pops=("association",), **fields))
    return keys


def default_circuit(channels=DEFAULT_CHANNELS, actions=DEFAULT_ACTIONS, params=None, thalamocortical=None):
    """The default empathy circuit (``docs/theory.md`` gives each region's role).

    ``params`` maps region name -> {parameter: value} overrides; ``thalamocortical`` overrides
    fields of the thalamocortical projections (see :func:`connect_sensory_cortex`).
    Wiring strengths are chosen so that each stage sits in the working range of the next
    (relay ~40 Hz, cortex winners ~30-60 Hz, GPi tonic ~60 Hz); the anatomy follows the
    region modules' citations.
    """
    params = params or {}
    graph = nx.MultiDiGraph(name="empathy")
    kinds = {"thalamus": {"channels": tuple(channels)}, "cortex": {}, "bla": {}, "cea": {}, "pag": {},
             "vta": {}, "ventral_striatum": {}, "dorsal_striatum": {"actions": tuple(actions)},
             "gpi": {"actions": tuple(actions)}, "motor_thalamus": {"actions": tuple(actions)},
             "pfc": {} if "marker" in dict(channels) else {"n_social": 0}}
    for name in params:
        if name not in kinds:
            raise unknown("region", name, kinds)
    for name, fixed in kinds.items():
        cls = REGIONS[name]
        region = cls(name, cls.Params(**fixed))
        add_region(graph, region.with_params(params.get(name, {})) if params.get(name) else region)

    names = [name for name, _ in channels]
    connect_sensory_cortex(graph, names, **(thalamocortical or {}))
    if "nociception" in names:
        connect(graph, "thalamus", "pag", source_pops=("nociception",), target_pops=("noci",), weight=0.25)
    if "food" in names:
        connect(graph, "thalamus", "vta", "food_reward", source_pops=("food",), port="reward", weight=0.25)
    context = tuple(n for n in ("context", "agent") if n in names)
    if context:
        connect(graph, "thalamus", "pfc", source_pops=context, target_pops=("context",), weight=0.25, **HEBBIAN)

    # neural resonance: cortex -> BLA (taught by PAG) -> CeA -> PAG
    connect(graph, "cortex", "bla", plasticity="delta", weight=0.2, w_low=0.0, w_high=0.02)
    connect(graph, "pag", "bla", "pag_teach", source_pops=("noci",), port="teach", weight=0.25)
    connect(graph, "bla", "cea", weight=0.25)
    connect(graph, "cea", "pag", "cea_to_vl", target_pops=("vl",), weight=0.5)
    # descending modulation: CeA raises the gain of nociceptive transmission (see regions.pag)
    n_cea = graph.nodes["cea"]["region"].params.n
    connect(graph, "cea", "pag", "cea_facilitates_noci", target_pops=("noci",), port="facilitation",
            weight=1.0 / n_cea)
    connect(graph, "pfc", "cea", source_pops=("context",), sign=-1, weight=0.02)

    # prosocial motivation: reward model (VS pain model; food is a primary reward of its own),
    # critic (VS value, VTA TD error) and actor (D1/D2). Own pain teaches the pain model, and
    # pain reaches the VTA as the model reads it from the cortex (see regions.basal_ganglia).
    # The model learns at 0.1 of the delta rate: a reward model fits many experiences, and a small
    # step averages over them (stochastic approximation; Sutton & Barto 2018, ch. 9). Measured
    # (harm-aversion, 4 own shocks): at the full rate its prediction for the neighbour's pain fell
    # from ~50 to ~8 Hz within the first harm session, before the actor could learn from it.
    connect(graph, "cortex", "ventral_striatum", "cortex_to_pain_model", target_pops=("pain_model",),
            plasticity="delta", weight=0.2, w_low=0.0, w_high=0.02, learning=0.1)
    connect(graph, "pag", "ventral_striatum", "pain_teaches_reward_model", source_pops=("noci",),
            target_pops=("pain_model",), port="teach", weight=0.25)
    n_vs = graph.nodes["ventral_striatum"]["region"].params.n
    connect(graph, "ventral_striatum", "vta", "pain_reward", source_pops=("pain_model",), port="reward", sign=-1,
            weight=PAIN_REWARD_GAIN / n_vs)
    # critic learning rate x0.05: a linear TD critic is stable only for a small step size
    # (Sutton & Barto 2018, ch. 9; Tsitsiklis & Van Roy 1997); at the actor's rate a burst at
    # cue onset raised V within the same trial, which raised the next error (a ramp).
    # Opponent halves (see regions.basal_ganglia): V = appetitive - aversive.
    for pop, sign in (("appetitive", 1), ("aversive", -1)):
        connect(graph, "cortex", "ventral_striatum", f"cortex_to_{pop}", target_pops=(pop,), plasticity="three_factor",
                eligibility="pre", dopamine_sign=sign, weight=0.2, w_low=0.0, w_high=0.05, learning=0.05)
        connect(graph, "ventral_striatum", "vta", f"{pop}_value", source_pops=(pop,), port="value", sign=sign,
                weight=1.0 / n_vs)  # V reads the populations' mean rates
    n_da = graph.nodes["vta"]["region"].params.n  # dopamine ports read the mean VTA rate
    connect(graph, "vta", "ventral_striatum", "da_to_ventral_striatum", port="da", weight=1.0 / n_da)
    connect(graph, "vta", "dorsal_striatum", "da_to_dorsal_striatum", port="da", weight=1.0 / n_da)
    for pop, sign in (("d1", 1), ("d2", -1)):
        connect(graph, "cortex", "dorsal_striatum", f"cortex_to_{pop}", target_pops=(pop,), plasticity="three_factor",
                weight=0.15, w_low=0.2, w_high=0.6, dopamine_sign=sign)
    # Action channels stay segregated through the loop (Alexander, DeLong & Strick 1986; Gurney,
    # Prescott & Redgrave 2001): each action has a pool of msn_per_action D1 and D2 MSNs ("blocks"
    # connectivity), and GPi reads the pool's mean, so a pool of any size drives GPi as one unit did.
    msn = graph.nodes["dorsal_striatum"]["region"].params.msn_per_action
    # thalamostriatal efference tags the selected action's D1/D2 units (Frank 2005; Smith et al.
    # 2004). Weight 0.6: the loop motor -> D1 -(2)-> GPi -| motor (minus the D2 path) then has
    # gain 0.6 < 1, so an action fades in the ITI instead of persisting into the next trial
    # (at 1.0 the loop was a line attractor: last trial's press carried into tone trials).
    connect(graph, "motor_thalamus", "dorsal_striatum", "efference_d1", target_pops=("d1",),
            connectivity="blocks", weight=0.6)
    connect(graph, "motor_thalamus", "dorsal_striatum", "efference_d2", target_pops=("d2",),
            connectivity="blocks", weight=0.6)
    connect(graph, "dorsal_striatum", "gpi", "direct_pathway", source_pops=("d1",), sign=-1,
            connectivity="blocks", weight=2.0 / msn)
    connect(graph, "dorsal_striatum", "gpi", "indirect_pathway", source_pops=("d2",),
            connectivity="blocks", weight=1.0 / msn)
    connect(graph, "gpi", "motor_thalamus", sign=-1, connectivity="one_to_one", weight=1.0)
    # freezing is immobility, incompatible with pressing (Bouton & Bolles 1980: conditioned suppression
    # of lever pressing goes with freezing; Fanselow 1994): at the freezing threshold (4 vl units at
    # 20 Hz) the inhibition, 40 Hz, cancels most of the motor thalamus' 45 Hz of tonic drive. At 0.15
    # (12 Hz) a freezing rat still pressed (lever-refusal: 75 presses/min with 15-20% freezing).
    connect(graph, "pag", "motor_thalamus", "freezing_blocks_action", source_pops=("vl",), sign=-1, weight=0.5)
    # winner-take-all between action channels (Gurney, Prescott & Redgrave 2001; Cisek 2007):
    # at 0.5 both channels often ran at ~30 Hz together, so both actions' units were eligible.
    connect(graph, "motor_thalamus", "motor_thalamus", "action_competition", sign=-1,
            connectivity="all_but_self", weight=1.5)
    if "marker" in names:
        connect_context_gate(graph)
    return validate(graph)


#: What the context gate scales (:mod:`regions.pfc`): target region -> population.
GATE_TARGETS = {"cea": "cea", "ventral_striatum": "pain_model"}
#: Efficacy of a gate synapse: a fully potentiated synapse (w = 1) from one marker unit at ~40 Hz
#: gives a context input of ~16 Hz, nearly doubling (or nearly silencing) the response it gates.
GATE_WEIGHT = 0.4
#: The gate learns at 0.3 of the dopamine-gated rate: a marker's meaning builds up over days of
#: encounters, each crediting only the error at the other's arrival (the mPFC learns social
#: context over days; Cikara & Van Bavel 2014; Levy et al. 2016).
GATE_LEARNING = 0.3


def connect_context_gate(graph):
    """Wire the learnt context gate (see :mod:`regions.pfc`) into ``graph``; returns the keys made.

    The thalamic ``marker`` channel drives the PFC's social units one to one.
    For each target of :data:`GATE_TARGETS` an amplifying (excitatory, D1-like) and a
    suppressing (inhibitory, D2-like) projection from the social units, starting at zero (a gain of
    1), learn from the VTA's dopamine with ``onset`` eligibility (:mod:`regions.plasticity`): each
    marker is credited with the error its arrival brings, not with the error at its departure.
    """
    keys = [connect(graph, "thalamus", "pfc", "marker_to_social", source_pops=("marker",), target_pops=("social",),
                    weight=1.5, connectivity="one_to_one", w_low=1.0, w_high=1.0)]
    n_da = graph.nodes["vta"]["region"].params.n
    keys.append(connect(graph, "vta", "cea", "da_to_cea", port="da", weight=1.0 / n_da))
    for target, pop in GATE_TARGETS.items():
        for kind, sign in (("amplifies", 1), ("suppresses", -1)):
            keys.append(connect(graph, "pfc", target, f"social_{kind}_{pop}", source_pops=("social",),
                                target_pops=(pop,), port="context", sign=sign, weight=GATE_WEIGHT,
                                plasticity="three_factor", eligibility="onset", dopamine_sign=sign,
                                w_low=0.0, w_high=0.0, learning=GATE_LEARNING))
    return keys
