"""``fear-conditioning``: a tone paired with the subject's own footshock; freezing to the tone at test.

The direct-fear reference every empathy result is compared with (LeDoux 2000; Fanselow &
Poulos 2005). Phases: **habituation** (tone alone), **conditioning** (the tone
co-terminates with a footshock), **test** (tone alone). Freezing is read from the PAG's
ventrolateral column; the amygdala must learn that the tone predicts pain (its TD threat
prediction, taught by PAG), so the ``amygdala`` lesion must abolish conditioned freezing
(Phillips & LeDoux 1992).
"""

import dataclasses

from circuits import readout
from circuits.arena import Animal, Arena, Percept
from circuits.paradigms.base import Paradigm
from circuits.protocol import ProtocolParams
from regions.errors import VicariousError
from regions.params import param


@dataclasses.dataclass(frozen=True)
class FearConditioningParams(ProtocolParams):
    habituation_trials: int = param(4, low=1, high=100, doc="tone-alone trials before conditioning")
    sessions: int = param(6, low=1, high=100, doc="conditioning sessions")
    trials: int = param(8, low=1, high=100, doc="tone-shock pairings per conditioning session")
    test_trials: int = param(4, low=1, high=100, doc="tone-alone trials at test")
    iti_steps: int = param(6, low=1, high=200, doc="inter-trial steps")
    tone_steps: int = param(8, low=2, high=200, doc="tone steps (the shock fills the last ones)")
    shock_steps: int = param(2, low=1, high=100, doc="footshock steps at the end of the tone")

    def __post_init__(self):
        super().__post_init__()
        if self.shock_steps >= self.tone_steps:
            raise VicariousError(f"paradigm.shock_steps ({self.shock_steps}) must be fewer than "
                                 f"paradigm.tone_steps ({self.tone_steps}): the tone must precede the shock")


class FearConditioning(Paradigm):
    name = "fear-conditioning"
    description = "tone paired with own footshock; freezing to the tone at test (direct-fear reference)"
    reference = "LeDoux 2000; Fanselow & Poulos 2005; Phillips & LeDoux 1992"
    Params = FearConditioningParams
    phases = ("habituation", "conditioning", "test")
    measures = {
        "freezing": "fraction of tone time (before any shock) with PAG-vl above its freezing threshold",
        "bla_tone": "BLA rate during the tone before the shock (Hz)",
        "cea_tone": "CeA rate during the tone before the shock (Hz)",
        "pag_vl_tone": "PAG ventrolateral (freezing column) rate during the tone before the shock (Hz)",
    }
    figures = ("fear_conditioning",)
    effects = (("test", "freezing"), ("test", "bla_tone"), ("test", "cea_tone"), ("test", "pag_vl_tone"))

    def total_sessions(self, params):
        return params.sessions + 2

    def run(self, graph, params, seeds, sim_options, progress=None):
        arena = Arena({"subject": Animal(graph)}, seeds, sim_options, params.step, params.stimulus)
        trial = params.iti_steps + params.tone_steps
        shock_from = trial - params.shock_steps
        probe = slice(params.iti_steps, shock_from)  # tone steps before any shock
        blocks = [("habituation", 0, params.habituation_trials, False)]
        blocks += [("conditioning", s, params.trials, True) for s in range(params.sessions)]
        blocks += [("test", 0, params.test_trials, False)]
        tone, paired = {"subject": Percept(relays={"tone": 1.0})}, {"subject": Percept(relays={"tone": 1.0,
                                                                                              "nociception": 1.0})}
        rows = []
        for phase, session, n_trials, shocked in blocks:
            def moment(t, shocked=shocked):
                within = t % trial
                if within < params.iti_steps:
                    return {}
                return paired if shocked and within >= shock_from else tone

            first = arena.run(n_trials * trial, moment)
            history = arena.history(first).reshape(n_trials, trial, -1)[:, probe]
            rows += self._measure(arena, history, phase, session)
            self.tick(progress)
        return rows

    def _measure(self, arena, history, phase, session):
        """Rows of one block: freezing and amygdala/PAG rates over the tone before any shock."""
        rows, seeds = [], arena.seeds
        if arena.has("subject", "pag"):
            vl = history[:, :, arena.units("subject", "pag", "vl")]  # trials x steps x animals x units
            freeze_at = arena.freeze_threshold("subject")
            rows += self.rows(seeds, "tone", phase, session, "freezing",
                              readout.freezing(vl.reshape(-1, *vl.shape[2:]), freeze_at))
            rows += self.rows(seeds, "tone", phase, session, "pag_vl_tone", vl.mean(axis=(0, 1, 3)))
        for region, measure in (("bla", "bla_tone"), ("cea", "cea_tone")):
            if arena.has("subject", region):
                rows += self.rows(seeds, "tone", phase, session, measure,
                                  history[:, :, arena.units("subject", region)].mean(axis=(0, 1, 3)))
        return rows
