"""The Paradigm interface: a canned experiment that drives a circuit and measures behaviour.

A paradigm declares its parameters (a :class:`~regions.params.Params` dataclass), builds
its circuit (the default circuit with the scene channels it needs), and runs one
animal (seed): it drives the thalamus step by step, reads behaviour and activity
from the circuit, and returns tidy rows ``{condition, phase, session, measure, value}``.
Nothing in a paradigm writes its result: effects come from what the circuit learnt.
"""

import numpy as np

from circuits.graph import default_circuit
from circuits.simulation import Simulation


class Paradigm:
    """Base class of the canned paradigms (registered in :mod:`circuits.paradigms`)."""

    name = "paradigm"
    description = ""
    reference = ""
    Params = None
    measures = {}  # measure name -> description with units
    figures = ()  # figure names made by ``vicarious figures`` (see figures/)
    effects = ()  # key (phase, measure[, condition]) measures compared with intact by 'vicarious study'

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

    def total_sessions(self, params):
        """How many progress ticks one seed takes (one per session)."""
        return 1

    def run(self, graph, params, seed, sim_options, progress=None):
        """Simulate one animal; return a list of row dicts (see module docstring)."""
        raise NotImplementedError

    # -- helpers shared by paradigms -----------------------------------------------------
    @staticmethod
    def simulation(graph, seed, sim_options, prefix=""):
        return Simulation(graph, seed=seed, prefix=prefix, **sim_options)

    @staticmethod
    def row(condition, phase, session, measure, value):
        return {"condition": condition, "phase": phase, "session": int(session), "measure": measure,
                "value": float(value)}

    @staticmethod
    def value(sim, activity, region="ventral_striatum"):
        """The critic's value (Hz) in ``activity`` (rates, any leading axes x all units): mean
        appetitive minus mean aversive rate, the signed value the VTA reads (see
        :mod:`regions.basal_ganglia`)."""
        def half(pop):
            return activity[..., sim.built.units(region, pop)].mean()
        return half("appetitive") - half("aversive")

    @staticmethod
    def rng(seed, salt=0):
        """The paradigm's own random stream (scene order), independent of Brian2's."""
        return np.random.default_rng([seed, salt])
