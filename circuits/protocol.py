"""Protocol parameters that paradigms share, declared once.

* :class:`ProtocolParams` — the scene step and the relay drive of a stimulus (every paradigm);
* :class:`SocialParams` — the other animal (one name in every paradigm: ``other``), the senses
  that carry it, the scene's noise and the subject's development with a cagemate;
* :class:`LiveOtherParams` — whether the other is simulated (``live``: its own circuit) or a
  recording (``playback``).

A paradigm's own parameters subclass one of these.
"""

import dataclasses

import brian2 as b2

from circuits.scene import parse_other, parse_senses
from regions.params import Params, param

OTHER_MODES = ("live", "playback")


@dataclasses.dataclass(frozen=True)
class ProtocolParams(Params):
    step: b2.Quantity = param(50 * b2.ms, unit=b2.ms, low=10 * b2.ms, high=500 * b2.ms,
                              doc="scene step: the scene is constant within a step")
    stimulus: b2.Quantity = param(40 * b2.Hz, unit=b2.Hz, low=1 * b2.Hz, high=200 * b2.Hz,
                                  doc="relay drive of a scene value of 1 (and of a footshock)")


@dataclasses.dataclass(frozen=True)
class SocialParams(ProtocolParams):
    other: str = param("cagemate", doc="the other animal: a name (self_like, cagemate, stranger, other_strain, "
                                       "other_species) or a similarity in [0, 1]")
    senses: str = param("sight,sound,smell", doc="senses that carry the other to the subject (comma-separated)")
    scene_noise: float = param(0.1, low=0.0, high=1.0, doc="noise (SD) on every scene value")
    development_events: int = param(200, low=0, high=100000,
                                    doc="events of each animal's development, a life with a cagemate")
    p_together: float = param(0.3, low=0.0, high=1.0,
                              doc="development: events shared with the cagemate (Heyes 2010; see circuits.scene)")
    adult_cortex_learning: float = param(1.0, low=0.0, high=1.0,
                                         doc="thalamocortical learning after development, relative to its rate "
                                             "in development (1: the adult cortex learns as the young one). "
                                             "Below 1: the thalamocortical critical period closes (Crair & "
                                             "Malenka 1995; Hensch 2005), and the world model stays what the "
                                             "amygdala and the reward model learnt to read (docs/calibration.md)")

    def __post_init__(self):
        super().__post_init__()
        self.target()
        self.sense_list()

    def target(self):
        return parse_other(self.other, "paradigm.other")

    def sense_list(self):
        return parse_senses(self.senses, "paradigm.senses")


@dataclasses.dataclass(frozen=True)
class LiveOtherParams(SocialParams):
    other_mode: str = param("live", choices=OTHER_MODES,
                            doc="live (the other's own circuit, perceived through its PAG's state) or playback "
                                "(a fixed recording: full pain expression while shocked, moving otherwise)")

    def live(self):
        return self.other_mode == "live"
