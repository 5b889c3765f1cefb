"""The canned paradigms, by name."""

from circuits.paradigms.cue_conditioning import CueConditioning

PARADIGMS = {p.name: p for p in (CueConditioning(),)}
