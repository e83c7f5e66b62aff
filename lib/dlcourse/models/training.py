"""One training loop for the PyTorch models of the course (lectures 06-14).

An epoch visits every training example once, in a fresh random order, in mini-batches::

    for each batch (X_b, y_b):
        loss = loss_fn(model(X_b), y_b)     # forward pass
        optimizer.zero_grad()
        loss.backward()                     # autograd: BP1-BP4 for every layer
        optimizer.step()                    # e.g. theta <- theta - lr * grad

The loop is deliberately short so that a lecture can show it, then call ``fit`` instead.
It puts the model in training mode while it trains (dropout on, batch norm collecting
statistics) and in evaluation mode while it measures, and returns the whole history.
"""
from __future__ import annotations

import numbers

import numpy as np
import torch
from torch import nn

from .. import config
from ..config import progress as _progress

__all__ = ["fit", "predict", "accuracy"]

_OPTIMIZERS = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD, "rmsprop": torch.optim.RMSprop}
_LOSSES = {"cross_entropy": nn.functional.cross_entropy, "mse": nn.functional.mse_loss}


def fit(model, X, y, *, epochs, batch_size=64, lr=1e-3, optimizer="adam", weight_decay=0.0,
        loss="cross_entropy", X_val=None, y_val=None, seed=0, live=None, progress=True):
    """Train ``model`` on (X, y) with mini-batches and return the per-epoch history.

    model: a ``torch.nn.Module`` mapping a batch of inputs (B, ...) to outputs (B, K).
    X: inputs (N, ...), a NumPy array or tensor (converted to float32).
    y: targets: class indices (N,) for loss="cross_entropy", values (N, K) for "mse".
    epochs: passes over the training data; batch_size: examples per step (the last batch
        of an epoch may be smaller).
    optimizer: "adam", "sgd" or "rmsprop" (built with lr and weight_decay over the
        parameters that require a gradient, so frozen layers stay as they are), or a
        ready ``torch.optim.Optimizer`` (then lr and weight_decay are not used).
    loss: "cross_entropy" (outputs are logits), "mse", or a function (outputs, targets) -> loss.
    X_val, y_val: optional validation data, measured after every epoch.
    seed: seed of the generator that shuffles the examples; with the model's initial
        weights fixed (``dlcourse.seed_everything`` before building it) a run repeats exactly.
    live: draw live curves (``dlcourse.plotting.TrainingCurves``); None draws them inside
        Jupyter only, False never. progress: show a progress bar over the epochs.

    Returns a dict of lists, one entry per epoch: "loss" (mean training loss over the
    epoch's batches), "accuracy" (training accuracy in the same pass, for classification),
    and "val_loss", "val_accuracy" when validation data are given.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"fit expects model to be a torch.nn.Module; got {type(model).__name__}.")
    epochs = _check_int("epochs", epochs)
    batch_size = _check_int("batch_size", batch_size)
    loss_fn = _loss_function(loss)
    classify = loss == "cross_entropy"
    X, y = _tensors(X, y, "X", "y", classify)
    validate = X_val is not None or y_val is not None
    if validate:
        if X_val is None or y_val is None:
            raise ValueError("fit expects X_val and y_val together; got only "
                             f"{'X_val' if X_val is not None else 'y_val'}.")
        X_val, y_val = _tensors(X_val, y_val, "X_val", "y_val", classify)
    optimizer = _optimizer(optimizer, model, lr, weight_decay)

    names = ["loss"] + (["accuracy"] if classify else [])
    history = {name: [] for name in names + ([f"val_{n}" for n in names] if validate else [])}
    curves = _curves(names, validate, live)
    shuffler = config.torch_generator(_check_int("seed", seed, minimum=0))
    for epoch in _progress(range(1, epochs + 1), desc="epochs", disable=not progress):
        model.train()
        total_loss, correct = 0.0, 0
        for rows in torch.randperm(len(X), generator=shuffler).split(batch_size):
            outputs = model(X[rows])
            batch_loss = loss_fn(outputs, y[rows])
            optimizer.zero_grad()
            batch_loss.backward()
            optimizer.step()
            total_loss += batch_loss.item() * len(rows)
            if classify:
                correct += (outputs.argmax(dim=1) == y[rows]).sum().item()
        history["loss"].append(total_loss / len(X))
        if classify:
            history["accuracy"].append(correct / len(X))
        if validate:
            val_loss, val_accuracy = _evaluate(model, X_val, y_val, loss_fn, classify, batch_size=1000)
            history["val_loss"].append(val_loss)
            if classify:
                history["val_accuracy"].append(val_accuracy)
        if curves is not None:
            curves.update(epoch, {name: values[-1] for name, values in history.items()})
    model.eval()
    if curves is not None:
        curves.finish()
    return history


@torch.no_grad()
def predict(model, X, batch_size=1000) -> np.ndarray:
    """The class the model scores highest for each input, in evaluation mode.

    X: inputs (N, ...), NumPy or tensor. Returns labels of shape (N,), int64 NumPy.
    """
    X = _as_float_tensor(X, "X", "predict")
    model.eval()
    return torch.cat([model(batch).argmax(dim=1) for batch in X.split(batch_size)]).numpy()


def accuracy(model, X, y, batch_size=1000) -> float:
    """Fraction of the inputs X (N, ...) whose predicted class equals the label in y (N,)."""
    labels = np.asarray(y.numpy() if isinstance(y, torch.Tensor) else y)
    if labels.shape != (len(X),):
        raise ValueError(f"accuracy expects y of shape ({len(X)},), one label per input; got shape {labels.shape}.")
    return float(np.mean(predict(model, X, batch_size) == labels))


# ---------------------------------------------------------------------------- helpers
@torch.no_grad()
def _evaluate(model, X, y, loss_fn, classify, batch_size):
    """Mean loss and accuracy over (X, y) in evaluation mode, in batches to bound memory."""
    model.eval()
    total_loss, correct = 0.0, 0
    for start in range(0, len(X), batch_size):
        outputs = model(X[start:start + batch_size])
        targets = y[start:start + batch_size]
        total_loss += loss_fn(outputs, targets).item() * len(targets)
        if classify:
            correct += (outputs.argmax(dim=1) == targets).sum().item()
    return total_loss / len(X), correct / len(X)


def _curves(names, validate, live):
    if live is False:
        return None
    from ..plotting import TrainingCurves

    panels = {name: [name] + ([f"val_{name}"] if validate else []) for name in names}
    curves = TrainingCurves(panels, live=live)
    return curves if curves.live else None


def _optimizer(optimizer, model, lr, weight_decay):
    if isinstance(optimizer, torch.optim.Optimizer):
        return optimizer
    if optimizer not in _OPTIMIZERS:
        raise ValueError(f"fit expects optimizer to be one of {', '.join(map(repr, _OPTIMIZERS))} or a "
                         f"torch.optim.Optimizer; got {optimizer!r}.")
    trainable = [p for p in model.parameters() if p.requires_grad]
    if not trainable:
        raise ValueError("fit found no parameter that requires a gradient: every layer of the model is "
                         "frozen; unfreeze at least one (dlcourse.models.unfreeze) before training.")
    return _OPTIMIZERS[optimizer](trainable, lr=lr, weight_decay=weight_decay)


def _loss_function(loss):
    if callable(loss):
        return loss
    if loss not in _LOSSES:
        raise ValueError(f"fit expects loss to be one of {', '.join(map(repr, _LOSSES))} or a function "
                         f"(outputs, targets) -> loss; got {loss!r}.")
    return _LOSSES[loss]


def _as_float_tensor(X, name, function):
    try:
        tensor = torch.as_tensor(np.asarray(X) if not isinstance(X, torch.Tensor) else X)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{function} expects {name} to be a NumPy array or tensor of numbers; "
                        f"got {type(X).__name__}.") from error
    if tensor.ndim < 1 or len(tensor) == 0:
        raise ValueError(f"{function} expects {name} with at least one example along the first axis; "
                         f"got shape {tuple(tensor.shape)}.")
    return tensor.float()


def _tensors(X, y, x_name, y_name, classify):
    X = _as_float_tensor(X, x_name, "fit")
    y = torch.as_tensor(np.asarray(y) if not isinstance(y, torch.Tensor) else y)
    if len(y) != len(X):
        raise ValueError(f"fit expects one target per example: {x_name} has {len(X)} rows, {y_name} has {len(y)}.")
    if classify:
        if y.ndim != 1 or y.is_floating_point():
            raise ValueError(f"fit with loss='cross_entropy' expects {y_name} of shape ({len(X)},) holding "
                             f"integer class indices; got shape {tuple(y.shape)}, dtype {y.dtype}.")
        return X, y.long()
    return X, y.float()


def _check_int(name, value, minimum=1):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"fit expects {name} to be an integer >= {minimum}; got {value!r}.")
    return int(value)
