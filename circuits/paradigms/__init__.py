"""The canned paradigms, by name."""

from circuits.paradigms.context_modulation import ContextModulation
from circuits.paradigms.cue_conditioning import CueConditioning
from circuits.paradigms.fear_conditioning import FearConditioning
from circuits.paradigms.harm_aversion import HarmAversion
from circuits.paradigms.lever_refusal import LeverRefusal
from circuits.paradigms.mirror_emergence import MirrorEmergence
from circuits.paradigms.shock_observation import ShockObservation
from circuits.paradigms.trapped_cagemate import TrappedCagemate

PARADIGMS = {p.name: p for p in (CueConditioning(), FearConditioning(), MirrorEmergence(), ShockObservation(),
                                     LeverRefusal(), HarmAversion(), TrappedCagemate(), ContextModulation())}
