"""The canned paradigms, by name."""

from circuits.paradigms.cue_conditioning import CueConditioning
from circuits.paradigms.fear_conditioning import FearConditioning
from circuits.paradigms.mirror_emergence import MirrorEmergence

PARADIGMS = {p.name: p for p in (CueConditioning(), FearConditioning(), MirrorEmergence())}
