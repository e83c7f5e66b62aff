"""A training loop for the NumPy models: gradient descent in full batches, single
examples or mini-batches (lectures 04-06).

One epoch visits every training example once, in a fresh random order, in batches::

    for each batch (X_b, y_b):
        model.loss(X_b, y_b)                      # forward pass, caches z and a
        model.backward(y_b)                       # BP1-BP4 fill model.grads
        optimizer.step(model.params, model.grads) # e.g. theta <- theta - lr * grad

batch_size=None is (full-batch) gradient descent, one step per epoch; batch_size=1 is
stochastic gradient descent, N steps per epoch; anything between is mini-batch SGD.
"""
from __future__ import annotations

import numbers

import numpy as np

from .. import config
from ..config import progress as _progress

__all__ = ["train"]


def train(model, optimizer, X, y, epochs, batch_size=None, X_val=None, y_val=None, seed=0, live=None,
          progress=True):
    """Train ``model`` with ``optimizer`` and return the per-epoch history.

    model: anything with the interface of ``dlcourse.nn.MLP``: ``loss(X, y) -> float``,
        ``backward(y)``, ``params`` and ``grads`` (lists of arrays) and ``predict(X)``.
    optimizer: anything with ``step(params, grads)`` that updates params in place,
        e.g. ``dlcourse.nn.SGD(lr=0.1)``.
    X: (N, n_0) training inputs; y: their targets, in the form ``model.loss`` takes.
    epochs: number of passes over the training data.
    batch_size: None (all N examples: gradient descent), 1 (stochastic gradient descent)
        or k (mini-batches of k; the last batch of an epoch may be smaller).
    X_val, y_val: optional validation data, evaluated after every epoch.
    seed: seed of the ``np.random.default_rng`` that shuffles the examples every epoch;
        the same arguments and the same starting model give the same run.
    live: draw live loss/accuracy curves with ``dlcourse.plotting.TrainingCurves``;
        None draws them inside Jupyter only, False never.
    progress: show a progress bar over the epochs (``dlcourse.progress``).

    Returns a dict of lists with one entry per epoch, measured on the whole training set
    after the epoch's last step: "loss", "accuracy" (when ``predict`` returns class labels
    comparable with y), and "val_loss", "val_accuracy" when validation data are given.
    """
    _check_interface(model, optimizer)
    X, y = _check_data(X, y, "X", "y")
    validate = X_val is not None or y_val is not None
    if validate:
        if X_val is None or y_val is None:
            raise ValueError("train expects X_val and y_val together; got only "
                             f"{'X_val' if X_val is not None else 'y_val'}.")
        X_val, y_val = _check_data(X_val, y_val, "X_val", "y_val")
    epochs = _check_int("epochs", epochs, "a positive integer")
    N = len(X)
    if batch_size is None:
        batch_size = N
    batch_size = min(_check_int("batch_size", batch_size, "None (full batch) or a positive integer"), N)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"train expects seed to be an integer; got {seed!r}.")
    if live is not None and not isinstance(live, bool):
        raise TypeError(f"train expects live to be True, False or None (automatic); got {live!r}.")

    with_accuracy = _accuracy(model, X, y) is not None
    names = ["loss"] + (["accuracy"] if with_accuracy else [])
    history = {name: [] for name in names}
    if validate:
        history.update({f"val_{name}": [] for name in names})
    curves = _make_curves(names, validate, live)

    rng = config.rng(seed)
    bar = _progress(range(1, epochs + 1), desc="epochs", disable=None if progress else True)
    for epoch in bar:
        order = rng.permutation(N) if batch_size < N else np.arange(N)
        for start in range(0, N, batch_size):
            batch = order[start:start + batch_size]
            model.loss(X[batch], y[batch])
            model.backward(y[batch])
            optimizer.step(model.params, model.grads)

        values = _evaluate(model, X, y, with_accuracy, prefix="")
        if validate:
            values.update(_evaluate(model, X_val, y_val, with_accuracy, prefix="val_"))
        for name, value in values.items():
            history[name].append(value)
        if curves is not None:
            curves.update(epoch, values)
        if hasattr(bar, "set_postfix"):
            bar.set_postfix({name: f"{value:.4f}" for name, value in values.items()}, refresh=False)
    if curves is not None:
        curves.finish()
    return history


def _evaluate(model, X, y, with_accuracy: bool, prefix: str) -> dict:
    loss = float(model.loss(X, y))
    if not np.isfinite(loss):
        raise FloatingPointError(f"train stopped: the {prefix or 'training '}loss became {loss}; "
                                 "the learning rate is probably too large.")
    values = {f"{prefix}loss": loss}
    if with_accuracy:
        values[f"{prefix}accuracy"] = _accuracy(model, X, y)
    return values


def _accuracy(model, X, y):
    """Fraction of predictions equal to y, or None when predict does not return class labels."""
    predictions = np.asarray(model.predict(X))
    if predictions.dtype.kind not in "biu":
        return None
    y = np.asarray(y)
    if y.shape != predictions.shape and y.size == predictions.size:
        y = y.reshape(predictions.shape)  # (N, 1) targets of a single sigmoid output
    if y.shape != predictions.shape:
        return None
    return float(np.mean(predictions == y))


def _make_curves(names, validate: bool, live):
    if live is False:
        return None
    from ..plotting import TrainingCurves  # matplotlib only when curves are drawn
    import matplotlib.pyplot as plt

    panels = {name: [name, f"val_{name}"] if validate else [name] for name in names}
    curves = TrainingCurves(panels, live=live)
    if not curves.live:  # automatic mode outside Jupyter: no figure left behind
        plt.close(curves.figure)
        return None
    return curves


# --------------------------------------------------------------------- validation
def _check_interface(model, optimizer):
    missing = [name for name in ("loss", "backward", "predict", "params", "grads") if not hasattr(model, name)]
    if missing:
        raise TypeError(f"train expects a model with loss(X, y), backward(y), predict(X), params and grads, "
                        f"like dlcourse.nn.MLP; {type(model).__name__} has no {', '.join(missing)}.")
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"train expects an optimizer with step(params, grads), like dlcourse.nn.SGD; "
                        f"got {type(optimizer).__name__}.")


def _check_data(X, y, x_name: str, y_name: str):
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or len(X) == 0:
        raise ValueError(f"train expects {x_name} of shape (N, n_features) with N >= 1; got shape {X.shape}.")
    if y.ndim == 0 or len(y) != len(X):
        raise ValueError(f"train expects one target per row of {x_name}: {y_name} with {len(X)} rows; "
                         f"got shape {y.shape}.")
    return X, y


def _check_int(name: str, value, allowed: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"train expects {name} to be {allowed}; got {value!r}.")
    return int(value)
