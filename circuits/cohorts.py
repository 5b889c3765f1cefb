"""How a run's seeds are grouped into cohorts: animals simulated together in one network.

Brian2 pays a fixed cost per code object and time step whatever a group's size, so the animals of
a cohort (:class:`circuits.arena.Arena`) share it; past ~10 animals the arithmetic dominates
(``benchmarks/README.md``), and a cohort's memory grows with its size. A seed's noise depends on
its cohort (see :mod:`circuits.arena`), so the grouping is part of what reproduces a run.
"""

#: Default cohort size: the most animals simulated together.
COHORT = 20


def cohorts(seeds, size=COHORT):
    """``seeds`` in consecutive cohorts of at most ``size`` animals."""
    seeds = tuple(seeds)
    return [seeds[i:i + size] for i in range(0, len(seeds), size)]
