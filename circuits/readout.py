"""What a paradigm measures in its animals, one function per read-out, vectorised over animals.

Every paradigm reads behaviour and activity through these functions, from rates recorded per
scene step (arrays whose last axis is units; leading axes are steps and animals, as
:meth:`circuits.arena.Arena.rates` returns them):

* :func:`frozen`, :func:`freezing` — whether, and in which fraction of steps, PAG-vl was above its
  freezing threshold (Fanselow 1994: freezing is the defensive immobility the ventrolateral PAG commands);
* :func:`chosen` — the action whose motor-thalamus channel was above threshold and highest over
  a response window (action selection by disinhibition; Mink 1996; Gurney et al. 2001);
* :func:`dopamine` — VTA rate minus its tonic rate (the reward-prediction error's sign and size;
  Schultz, Dayan & Montague 1997);
* :func:`value` — the critic's signed value, appetitive minus aversive ventral-striatal rate
  (Daw, Kakade & Dayan 2002);
* :func:`over_trials` — each animal's mean over its own trials of a kind;
* :func:`readout_r2` — cross-validated R² of a ridge read-out (how well a code holds a variable);
* :func:`crossing` — the stimulus level at which a response first reaches a criterion (a
  nociceptive threshold from a ramp).
"""

import numpy as np

#: Ridge penalty of :func:`readout_r2`, relative to the code's mean variance per unit.
RIDGE = 0.1
NONE = -1  # chosen(): no action above threshold


def frozen(vl, threshold):
    """Whether the animal froze in each step: its mean PAG-vl rate (last axis: units) above ``threshold`` (Hz)."""
    return np.asarray(vl).mean(axis=-1) > threshold


def freezing(vl, threshold, axis=0):
    """Fraction of steps (``axis``, or a tuple of axes) in which the animal froze (:func:`frozen`)."""
    return frozen(vl, threshold).mean(axis=axis)


def chosen(motor, threshold):
    """Per animal, the index of the action chosen from mean motor rates (animals x actions), or :data:`NONE`."""
    motor = np.asarray(motor)
    best = np.argmax(motor, axis=-1)
    top = np.take_along_axis(motor, best[..., None], axis=-1)[..., 0]
    return np.where(top > threshold, best, NONE)


def dopamine(vta, tonic):
    """Mean VTA rate over units (last axis) minus ``tonic`` (Hz)."""
    return np.asarray(vta).mean(axis=-1) - tonic


def value(appetitive, aversive):
    """Mean appetitive minus mean aversive ventral-striatal rate over units (last axis), Hz."""
    return np.asarray(appetitive).mean(axis=-1) - np.asarray(aversive).mean(axis=-1)


def over_trials(values, trials):
    """Per animal, the mean of ``values`` (trials x animals; trials x steps x animals is averaged over steps
    first) over the trials of its mask ``trials`` (trials x animals); nan for an animal with none. Each
    animal of a cohort has its own trials of a kind (its cue order, its presses)."""
    values = np.asarray(values, dtype=float)
    if values.ndim == 3:
        values = values.mean(axis=1)
    values = np.broadcast_to(values, trials.shape)
    count = trials.sum(axis=0)
    return np.where(count > 0, (values * trials).sum(axis=0) / np.maximum(count, 1), np.nan)


def readout_r2(code, targets, folds):
    """R² of a ridge read-out of ``targets`` (samples x dims) from ``code`` (samples x units), leaving
    each of ``folds`` consecutive folds out in turn (sample ``i`` is in fold ``i // (n / folds)``: for
    repeated probes, one repeat a fold; for a time series, one contiguous block); nan when the
    targets never vary or there are fewer than two folds."""
    code, targets = np.asarray(code, dtype=float), np.asarray(targets, dtype=float)
    if folds < 2 or len(code) < folds:  # nothing to hold out
        return float("nan")
    trials = len(code) // folds
    fold = np.repeat(np.arange(folds), trials)
    code, targets = code[:len(fold)], targets[:len(fold)]
    sse = sst = 0.0
    for r in range(folds):
        train, test = fold != r, fold == r
        x_mean, y_mean = code[train].mean(axis=0), targets[train].mean(axis=0)
        x, y = code[train] - x_mean, targets[train] - y_mean
        gram = x.T @ x
        penalty = RIDGE * max(np.trace(gram) / len(gram), 1e-12)  # scale-free: same for Hz of any size
        w = np.linalg.solve(gram + penalty * np.eye(len(gram)), x.T @ y)
        predicted = (code[test] - x_mean) @ w + y_mean
        sse += ((targets[test] - predicted) ** 2).sum()
        sst += ((targets[test] - targets[test].mean(axis=0)) ** 2).sum()
    return 1.0 - sse / sst if sst > 0 else float("nan")


def crossing(levels, response, criterion):
    """The stimulus level at which ``response`` first reaches ``criterion`` (linear interpolation
    between steps; the last level when it never does)."""
    above = np.flatnonzero(np.asarray(response) >= criterion)
    if not len(above):
        return float(levels[-1])
    i = above[0]
    if i == 0:
        return float(levels[0])
    r0, r1 = response[i - 1], response[i]
    return float(levels[i - 1] + (levels[i] - levels[i - 1]) * (criterion - r0) / (r1 - r0))
