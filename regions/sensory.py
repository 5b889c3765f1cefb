"""Sensory thalamus: relays the scene's named channels to the rest of the circuit.

Each scene channel (nociception, pain_expression, agent, food, lever, tone, light,
context, ...) is a population of relay units driven by the paradigm through ``I_ext``.
Relay units are fast and do not learn (Sherman & Guillery 2002, thalamic first-order relay).
"""

import dataclasses

import brian2 as b2

from regions.base import PopulationSettings, Region
from regions.params import Params, param

DEFAULT_CHANNELS = (("nociception", 4), ("pain_expression", 4), ("agent", 4), ("food", 4),
                    ("lever", 4), ("tone", 4), ("light", 4), ("context", 4))


@dataclasses.dataclass(frozen=True)
class SensoryParams(Params):
    channels: tuple = param(DEFAULT_CHANNELS, doc="scene channels as (name, units) pairs")
    tau: b2.Quantity = param(10 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=200 * b2.ms,
                             doc="relay time constant (thalamocortical cells, ~10 ms)")
    noise: b2.Quantity = param(0.5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz,
                               doc="relay rate noise")


class SensoryThalamus(Region):
    """Thalamic relay of the scene's channels (first-order nuclei)."""

    kind = "thalamus"
    Params = SensoryParams
    description = "sensory relay of the scene's named channels"

    def populations(self):
        return {name: PopulationSettings(size, noise=self.params.noise) for name, size in self.params.channels}
