"""Reading a paradigm's result rows in tests."""


def values(rows, measure, phase, condition=None):
    """seed -> [value per session, in session order] of ``measure`` in ``phase`` (traces left out;
    only ``condition``'s rows when given)."""
    out = {}
    for r in rows:
        if r["measure"] == measure and r["phase"] == phase and "time" not in r and \
                condition in (None, r["condition"]):
            out.setdefault(r["seed"], {})[r["session"]] = r["value"]
    return {seed: [d[s] for s in sorted(d)] for seed, d in out.items()}

