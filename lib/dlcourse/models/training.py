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

import numpy as np
import torch
from torch import nn

from .. import config
from .._loop import TrainingLog
from .._validation import check_array, check_choice, check_instance, check_int, check_real, check_tensor
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
    Raises TypeError for an argument of the wrong type, ValueError for a disallowed value.
    """
    epochs, batch_size, seed, loss_fn, classify = _check_fit(model, epochs, batch_size, seed, loss)
    X, y = _tensors(X, y, "X", "y", classify)
    validate = _validation_given(X_val, y_val)
    if validate:
        X_val, y_val = _tensors(X_val, y_val, "X_val", "y_val", classify)
    optimizer = _optimizer(optimizer, model, lr, weight_decay)
    names = ["loss"] + (["accuracy"] if classify else [])
    panels = {name: [name] + ([f"val_{name}"] if validate else []) for name in names}
    shuffler = config.torch_generator(seed)

    with TrainingLog([*names, *(f"val_{name}" for name in names if validate)], panels, live=live) as log:
        for epoch in _progress(range(1, epochs + 1), desc="epochs", disable=not progress):
            model.train()
            total_loss, correct = 0.0, 0
            for rows in torch.randperm(len(X), generator=shuffler).split(batch_size):  # each batch (X_b, y_b)
                outputs = model(X[rows])  # forward pass
                batch_loss = loss_fn(outputs, y[rows])
                optimizer.zero_grad()
                batch_loss.backward()  # autograd: BP1-BP4 for every layer
                optimizer.step()  # e.g. theta <- theta - lr * grad
                total_loss += batch_loss.item() * len(rows)
                if classify:
                    correct += (outputs.argmax(dim=1) == y[rows]).sum().item()
            epoch_values = {"loss": total_loss / len(X), "accuracy": correct / len(X)}
            if validate:
                val_loss, val_accuracy = _evaluate(model, X_val, y_val, loss_fn, classify, batch_size=1000)
                epoch_values.update(val_loss=val_loss, val_accuracy=val_accuracy)
            log.record(epoch, **{name: epoch_values[name] for name in log.history})
    model.eval()
    return log.history


@torch.no_grad()
def predict(model, X, batch_size=1000) -> np.ndarray:
    """The class the model scores highest for each input, in evaluation mode.

    X: inputs (N, ...), NumPy or tensor. Returns labels of shape (N,), int64 NumPy.
    """
    X = _examples(X, "X", "predict")
    model.eval()
    return torch.cat([model(batch).argmax(dim=1) for batch in X.split(batch_size)]).numpy()


def accuracy(model, X, y, batch_size=1000) -> float:
    """Fraction of the inputs X (N, ...) whose predicted class equals the label in y (N,)."""
    labels = check_array(y, "y", "accuracy", shape=(len(X),), dtype=None,
                         allowed=f"an array of shape ({len(X)},), one label per input")
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


def _check_fit(model, epochs, batch_size, seed, loss):
    """fit's scalar arguments, checked: (epochs, batch_size, seed, loss function, classify)."""
    check_instance(model, "model", "fit", nn.Module, "a torch.nn.Module")
    epochs = check_int(epochs, "epochs", "fit", minimum=1)
    batch_size = check_int(batch_size, "batch_size", "fit", minimum=1)
    seed = check_int(seed, "seed", "fit", minimum=0)
    return epochs, batch_size, seed, _loss_function(loss), loss == "cross_entropy"


def _validation_given(X_val, y_val) -> bool:
    if (X_val is None) != (y_val is None):
        raise ValueError("fit expects X_val and y_val together; got only "
                         f"{'X_val' if X_val is not None else 'y_val'}.")
    return X_val is not None


def _optimizer(optimizer, model, lr, weight_decay):
    if isinstance(optimizer, torch.optim.Optimizer):
        return optimizer
    check_instance(optimizer, "optimizer", "fit", str,
                   f"one of {', '.join(map(repr, _OPTIMIZERS))} or a torch.optim.Optimizer")
    check_choice(optimizer, "optimizer", "fit", _OPTIMIZERS)
    lr = check_real(lr, "lr", "fit", minimum=0, open_minimum=True)
    weight_decay = check_real(weight_decay, "weight_decay", "fit", minimum=0)
    trainable = [p for p in model.parameters() if p.requires_grad]
    if not trainable:
        raise ValueError("fit found no parameter that requires a gradient: every layer of the model is "
                         "frozen; unfreeze at least one (dlcourse.models.unfreeze) before training.")
    return _OPTIMIZERS[optimizer](trainable, lr=lr, weight_decay=weight_decay)


def _loss_function(loss):
    if callable(loss):
        return loss
    check_instance(loss, "loss", "fit", str,
                   f"one of {', '.join(map(repr, _LOSSES))} or a function (outputs, targets) -> loss")
    return _LOSSES[check_choice(loss, "loss", "fit", _LOSSES)]


def _examples(X, name, function):
    """X (N, ...) as a float32 tensor with N >= 1."""
    tensor = check_tensor(X, name, function)
    if tensor.ndim < 1 or len(tensor) == 0:
        raise ValueError(f"{function} expects {name} with at least one example along the first axis; "
                         f"got shape {tuple(tensor.shape)}.")
    return tensor


def _tensors(X, y, x_name, y_name, classify):
    X = _examples(X, x_name, "fit")
    try:
        y = torch.as_tensor(np.asarray(y) if not isinstance(y, torch.Tensor) else y)
    except (TypeError, ValueError, RuntimeError) as error:
        raise TypeError(f"fit expects {y_name} to be a NumPy array or tensor of numbers; "
                        f"got {type(y).__name__}.") from error
    if y.ndim < 1 or len(y) != len(X):
        raise ValueError(f"fit expects one target per example: {x_name} has {len(X)} rows, {y_name} has "
                         f"{len(y) if y.ndim else 0}.")
    if classify:
        if y.ndim != 1 or y.is_floating_point():
            raise ValueError(f"fit with loss='cross_entropy' expects {y_name} of shape ({len(X)},) holding "
                             f"integer class indices; got shape {tuple(y.shape)}, dtype {y.dtype}.")
        return X, y.long()
    return X, y.float()
