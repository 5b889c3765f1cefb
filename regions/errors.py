"""The one exception type users see: a clear message, never a traceback."""

import difflib


class VicariousError(Exception):
    """A user-facing error: what was wrong and what is allowed."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: the work is abandoned and nothing half-written is left."""


def did_you_mean(word, choices):
    """' (did you mean X?)' for the closest choice, or '' when nothing is close."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown(kind, word, choices):
    """A VicariousError for an unknown name, listing what is allowed."""
    allowed = ", ".join(sorted(str(c) for c in choices))
    return VicariousError(f"unknown {kind} {word!r}{did_you_mean(word, choices)}; allowed: {allowed}")
