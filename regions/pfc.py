"""Prefrontal / orbitofrontal cortex: slow context, and the learnt context gate on empathy.

* ``context`` — units integrate the scene's context and agent channels through competitive
  Hebbian synapses and hold it with recurrent excitation (persistent activity on a slower
  loop than the bottom-up path; Wang 2001). They inhibit the amygdala's output through a
  fixed weight (mPFC -> intercalated cells -> CeA; Quirk et al. 2003).
* ``social`` — units driven one to one by the thalamic marker channel under weak lateral
  inhibition: each marker another animal wears (a colony odour, a dye mark) excites its own
  overlapping subset of them. They carry no valence of their own; what a marker means is
  learnt by the gate below (Cikara & Van Bavel 2014: group valence is learnt). They are
  silent when no marked animal is perceived.

The **context gate** (:func:`circuits.graph.connect_context_gate`) runs from the ``social``
units onto the ``context`` port of the amygdala's output (CeA: the reflex model's response) and
of the striatal pain model (the reward model's response). The port is a gain, like the PAG's
facilitation: ``drive = I (1 + context / context_scale)``, so the gate scales the response to
what the animal perceives and evokes nothing by itself. It is an opponent pair with dopamine-
gated learning on a slow loop: prelimbic-like synapses (excitatory, potentiated by dopamine
bursts) amplify and infralimbic-like synapses (inhibitory, via the intercalated cells,
potentiated by dips) suppress (Sierra-Mercado, Padilla-Coreano & Quirk 2011: prelimbic
drives, infralimbic suppresses amygdala output; Amano, Unal & Paré 2010: ITC inhibition of
CeA). A marker whose presence goes with the subject's own rewards (shared food) comes to
amplify the response to that animal's pain, one whose presence goes with the subject's own
losses (a competitor taking its food) to suppress it (Hein et al. 2010: in-group helping
follows anterior-insula responses to in-group pain, out-group pain recruits the striatum).
"""

import dataclasses

import brian2 as b2

from regions.base import PopulationSettings, Projection, Region
from regions.params import Params, param

#: The gain port's equation (the CeA and the ventral striatum share it): the ``context`` input
#: scales the unit's ordinary drive ``I`` (see the module docstring).
GATE_EQUATIONS = "gated = I * context / context_scale : Hz"


@dataclasses.dataclass(frozen=True)
class PFCParams(Params):
    n: int = param(8, low=1, high=2000, doc="context units")
    n_social: int = param(8, low=0, high=2000, doc="units standing for the group markers of others (none in a "
                                                   "circuit whose scene has no markers)")
    tau: b2.Quantity = param(100 * b2.ms, unit=b2.ms, low=1 * b2.ms, high=5 * b2.second,
                             doc="slow time constant (NMDA-dominated recurrence; Wang 2001)")
    recurrence: float = param(0.05, low=0.0, high=1.0, doc="recurrent excitation between context units")
    threshold: b2.Quantity = param(10 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=200 * b2.Hz,
                                   doc="drive before a context unit fires")
    social_threshold: b2.Quantity = param(20 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=500 * b2.Hz,
                                          doc="drive before a social unit fires (it stays silent for the noise of "
                                              "an unmarked scene)")
    social_inhibition: float = param(0.2, low=0.0, high=10.0,
                                     doc="lateral inhibition between social units: sharpens each marker's "
                                         "subset without letting one unit win every marker")
    noise: b2.Quantity = param(0.5 * b2.Hz, unit=b2.Hz, low=0 * b2.Hz, high=50 * b2.Hz, doc="rate noise")


class PFC(Region):
    """PFC/OFC: context and the marker units of the learnt context gate."""

    kind = "pfc"
    Params = PFCParams
    description = "context (top-down inhibition of CeA) and group-marker units whose learnt gate scales empathy"

    def populations(self):
        p = self.params
        pops = {"context": PopulationSettings(p.n, bias=-p.threshold, noise=p.noise)}
        if p.n_social:
            pops["social"] = PopulationSettings(p.n_social, bias=-p.social_threshold, noise=p.noise)
        return pops

    def internal_projections(self):
        p = self.params
        out = {"context_recurrence": Projection(source_pops=("context",), target_pops=("context",),
                                                weight=p.recurrence, connectivity="all_but_self")}
        if p.n_social:
            out["social_competition"] = Projection(source_pops=("social",), target_pops=("social",), sign=-1,
                                                   weight=p.social_inhibition, connectivity="all_but_self")
        return out
