"""Anatomical region modules, each with a rate and a spiking form behind one interface."""

from regions.amygdala import BLA, CeA
from regions.base import PopulationSettings, Projection, Region
from regions.basal_ganglia import GPi, DorsalStriatum, MotorThalamus, VentralStriatum
from regions.cortex import Cortex
from regions.errors import VicariousError
from regions.pag import PAG
from regions.pfc import PFC
from regions.sensory import SensoryThalamus
from regions.vta import VTA

REGIONS = {cls.kind: cls for cls in (SensoryThalamus, Cortex, BLA, CeA, PAG, VTA, VentralStriatum,
                                     DorsalStriatum, GPi, MotorThalamus, PFC)}

__all__ = ["REGIONS", "Region", "Projection", "PopulationSettings", "VicariousError"]
