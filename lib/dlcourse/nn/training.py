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

import numpy as np

from .. import config
from .._loop import TrainingLog
from .._validation import check_array, check_instance, check_int
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
    X, y, X_val, y_val, epochs, batch_size = _check_arguments(model, optimizer, X, y, epochs, batch_size,
                                                              X_val, y_val, seed, live)
    N, validate = len(X), X_val is not None
    with_accuracy = _accuracy(model, X, y) is not None
    names = ["loss"] + (["accuracy"] if with_accuracy else [])
    panels = {name: [name, f"val_{name}"] if validate else [name] for name in names}
    rng = config.rng(seed)
    bar = _progress(range(1, epochs + 1), desc="epochs", disable=None if progress else True)
    with TrainingLog(names + [f"val_{name}" for name in names if validate], panels, live=live) as log:
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
            log.record(epoch, **values)
            if hasattr(bar, "set_postfix"):
                bar.set_postfix({name: f"{value:.4f}" for name, value in values.items()}, refresh=False)
    return log.history


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


# --------------------------------------------------------------------- validation
def _check_arguments(model, optimizer, X, y, epochs, batch_size, X_val, y_val, seed, live):
    """train's arguments checked: (X, y, X_val, y_val, epochs, batch_size), batch_size at most N."""
    missing = [name for name in ("loss", "backward", "predict", "params", "grads") if not hasattr(model, name)]
    if missing:
        raise TypeError(f"train expects a model with loss(X, y), backward(y), predict(X), params and grads, "
                        f"like dlcourse.nn.MLP; {type(model).__name__} has no {', '.join(missing)}.")
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"train expects an optimizer with step(params, grads), like dlcourse.nn.SGD; "
                        f"got {type(optimizer).__name__}.")
    X, y = _check_data(X, y, "X", "y")
    if (X_val is None) != (y_val is None):
        raise ValueError("train expects X_val and y_val together; got only "
                         f"{'X_val' if X_val is not None else 'y_val'}.")
    if X_val is not None:
        X_val, y_val = _check_data(X_val, y_val, "X_val", "y_val")
    epochs = check_int(epochs, "epochs", "train", minimum=1)
    batch_size = len(X) if batch_size is None else check_int(
        batch_size, "batch_size", "train", minimum=1, allowed="None (full batch) or a positive integer")
    check_int(seed, "seed", "train", minimum=0, allowed="a non-negative integer such as 0")
    check_instance(live, "live", "train", (bool, type(None)), "True, False or None (automatic)")
    return X, y, X_val, y_val, epochs, min(batch_size, len(X))


def _check_data(X, y, x_name: str, y_name: str):
    X, y = check_array(X, x_name, "train", dtype=None), check_array(y, y_name, "train", dtype=None)
    if X.ndim != 2 or len(X) == 0:
        raise ValueError(f"train expects {x_name} of shape (N, n_features) with N >= 1; got shape {X.shape}.")
    if y.ndim == 0 or len(y) != len(X):
        raise ValueError(f"train expects one target per row of {x_name}: {y_name} with {len(X)} rows; "
                         f"got shape {y.shape}.")
    return X, y
