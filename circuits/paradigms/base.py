"""The Paradigm interface: a canned experiment that drives a circuit and measures behaviour.

A paradigm declares its parameters (a :class:`~regions.params.Params` dataclass), builds
its circuit (the default circuit with the scene channels it needs), and runs a cohort of
animals (one per seed) in lockstep in an :class:`~circuits.arena.Arena`: it drives them step by
step with moments, reads behaviour and activity through :mod:`circuits.readout`, and returns
tidy rows ``{seed, condition, phase, session, measure, value}``. Nothing in a paradigm writes its
result: effects come from what the circuits learnt.
"""

import numpy as np

from circuits.graph import default_circuit


class Paradigm:
    """Base class of the canned paradigms (registered in :mod:`circuits.paradigms`)."""

    name = "paradigm"
    description = ""
    reference = ""
    Params = None
    phases = ()  # the phases its rows have, in protocol order
    measures = {}  # measure name -> description with units
    figures = ()  # figure names made by ``vicarious figures`` (see figures/)
    effects = ()  # key (phase, measure[, condition]) measures compared with intact by 'vicarious study'
    seeds = 3  # animals (seeds) of a run, and per condition of a study, when none are asked for

    def circuit(self, params, region_params=None):
        """The circuit this paradigm runs on (default empathy circuit with its channels)."""
        return default_circuit(channels=self.channels(params), actions=self.actions(params),
                               params=region_params)

    def channels(self, params):
        from regions.sensory import DEFAULT_CHANNELS
        return DEFAULT_CHANNELS

    def actions(self, params):
        from regions.basal_ganglia import DEFAULT_ACTIONS
        return DEFAULT_ACTIONS

    def check_circuit(self, graph, params):
        """Refuse (VicariousError) a lesioned circuit this paradigm cannot run; called before anything runs."""

    def total_sessions(self, params):
        """How many progress ticks one seed takes (one per session)."""
        return 1

    def run(self, graph, params, seeds, sim_options, progress=None):
        """Simulate one animal per seed in one cohort; return a list of row dicts (see module docstring)."""
        raise NotImplementedError

    # -- helpers shared by paradigms -----------------------------------------------------
    @staticmethod
    def row(condition, phase, session, measure, value):
        return {"condition": condition, "phase": phase, "session": int(session), "measure": measure,
                "value": float(value)}

    @staticmethod
    def rows(seeds, condition, phase, session, measure, values, **extra):
        """One row per seed of ``values`` (one per animal, in ``seeds`` order)."""
        values = np.broadcast_to(np.asarray(values, dtype=float), (len(seeds),))
        return [{"seed": seed, "condition": condition, "phase": phase, "session": int(session), "measure": measure,
                 "value": float(v), **extra} for seed, v in zip(seeds, values)]

    @staticmethod
    def tick(progress):
        """One session done: advance the progress bar ``progress`` (a callable, or None)."""
        if progress:
            progress()

    @staticmethod
    def rng(seed, salt=0):
        """The paradigm's own random stream (scene order), independent of Brian2's."""
        return np.random.default_rng([seed, salt])
