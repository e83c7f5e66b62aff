"""Argument checks and small helpers shared by the generative models (autoencoders, gan, wgan).

Each check raises one sentence naming the function, the argument, what it must be and what
came in, so a student's mistake reads as advice rather than a traceback from inside torch.
"""
from __future__ import annotations

import math
import numbers

import numpy as np
import torch


def check_int(function, name, value, minimum=1):
    """``value`` as an int, or ValueError if it is not an integer >= minimum (bools refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{function} expects {name} to be an integer >= {minimum}; got {value!r}.")
    return int(value)


def check_real(function, name, value, allowed, is_allowed):
    """``value`` as a float if it is a finite real number with ``is_allowed(value)``; else ValueError
    saying it must be ``allowed`` (words such as "a positive learning rate")."""
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()  # a 0-d NumPy or torch number
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (
            math.isfinite(value) and is_allowed(float(value))):
        raise ValueError(f"{function} expects {name} to be {allowed}; got {value!r}.")
    return float(value)


def check_widths(owner, widths, name="hidden", example="(64, 64)"):
    """Layer widths as a tuple of positive ints; one int is read as one layer."""
    if isinstance(widths, numbers.Integral) and not isinstance(widths, bool):
        widths = (widths,)
    if not isinstance(widths, (tuple, list)):
        raise TypeError(f"{owner} expects {name} to be a tuple of layer widths such as {example}; got {widths!r}.")
    return tuple(check_int(owner, f"each entry of {name}", width) for width in widths)


def float_tensor(function, name, X, examples=True):
    """X (NumPy array, list or tensor) as a detached float32 tensor.

    examples=True also requires the shape (N, ...) with N >= 1: a data set, one example per row.
    """
    if isinstance(X, torch.Tensor):
        X = X.detach().float()
    else:
        try:
            X = torch.as_tensor(np.asarray(X, dtype=np.float32))
        except (TypeError, ValueError) as error:
            raise TypeError(f"{function} expects {name} to be a NumPy array or tensor of numbers; "
                            f"got {type(X).__name__}.") from error
    if examples and (X.ndim < 2 or len(X) == 0):
        raise ValueError(f"{function} expects {name} of shape (N, ...) with N >= 1 examples, e.g. (N, 2) for "
                         f"points in the plane; got shape {tuple(X.shape)}.")
    return X


def as_numpy(values):
    """A float NumPy array from a tensor (detached, on the CPU), an array or a list."""
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu().numpy()
    return np.asarray(values, dtype=float)


def live_curves(panels, live, xlabel="epoch"):
    """A ``TrainingCurves`` drawing ``panels`` while a loop runs, or None when nothing is shown live.

    live: True, False or None (automatic: live inside Jupyter). A figure that will not be
    shown is closed at once, so loops run outside Jupyter leave no empty figures open.
    """
    if live is False:
        return None
    import matplotlib.pyplot as plt

    from ..plotting import TrainingCurves

    curves = TrainingCurves(panels, xlabel=xlabel, live=live)
    if not curves.live:
        plt.close(curves.figure)
        return None
    return curves
