"""Anatomical region modules, each with a rate and a spiking form behind one interface.

The region classes (and :data:`REGIONS`, kind -> class) are imported on first use, so that
``regions.errors`` and the command line's help load without Brian2.
"""

import importlib

_CLASSES = {"SensoryThalamus": "sensory", "Cortex": "cortex", "BLA": "amygdala", "CeA": "amygdala",
            "PAG": "pag", "VTA": "vta", "VentralStriatum": "basal_ganglia", "DorsalStriatum": "basal_ganglia",
            "GPi": "basal_ganglia", "MotorThalamus": "basal_ganglia", "PFC": "pfc",
            "PopulationSettings": "base", "Projection": "base", "Region": "base", "VicariousError": "errors"}
#: The region classes in the order ``vicarious list regions`` shows them.
_KINDS = ("SensoryThalamus", "Cortex", "BLA", "CeA", "PAG", "VTA", "VentralStriatum", "DorsalStriatum", "GPi",
          "MotorThalamus", "PFC")

__all__ = ["REGIONS", *_CLASSES]


def __getattr__(name):
    if name == "REGIONS":
        value = {cls.kind: cls for cls in (__getattr__(kind) for kind in _KINDS)}
    elif name in _CLASSES:
        value = getattr(importlib.import_module(f"regions.{_CLASSES[name]}"), name)
    else:
        raise AttributeError(f"module 'regions' has no attribute {name!r}")
    globals()[name] = value
    return value
