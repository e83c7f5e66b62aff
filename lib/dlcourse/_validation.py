"""Argument checks shared by every module of the library, in the style of scikit-learn's
``check_scalar``.

One rule for the exception: a value of the wrong *type* (a string where a number belongs, a
list where a model belongs) raises ``TypeError``; a value of the right type that is not
allowed (a negative count, an unknown name, a wrong shape) raises ``ValueError``. Either way
the message is one sentence naming the function, the argument, what it must be and what came
in, so a student's mistake reads as advice rather than as a traceback from inside NumPy::

    check_int(0, "epochs", "fit")
    ValueError: fit expects epochs to be a positive integer; got 0.

Every check returns the value in the form the caller computes with (``int``, ``float``, a
float array or tensor), so a function validates and converts in one line.
"""
from __future__ import annotations

import math
import numbers
import reprlib

import numpy as np

__all__ = ["check_int", "check_real", "check_choice", "check_flag", "check_instance", "check_array",
           "check_tensor", "check_widths", "check_batch", "as_numpy", "shown"]

_repr = reprlib.Repr()
_repr.maxstring, _repr.maxother, _repr.maxlist, _repr.maxtuple = 60, 60, 6, 6


def shown(value) -> str:
    """A short repr of ``value`` for a message: long strings, lists and arrays are cut."""
    if isinstance(value, np.ndarray) or type(value).__name__ == "Tensor":
        return f"{type(value).__name__} of shape {tuple(value.shape)}"
    return _repr.repr(value)


def _fail(error, function, name, allowed, value):
    return error(f"{function} expects {name} to be {allowed}; got {shown(value)}.")


def _bounds_words(kind: str, minimum, maximum, open_minimum=False, open_maximum=False) -> str:
    """'a positive integer', 'a number in [0, 1)', 'an integer >= 2', ... from the bounds."""
    article = "an" if kind[0] in "aeiou" else "a"
    if maximum is None:
        if minimum is None:
            return f"{article} {kind}"
        if minimum == 0:
            return f"a positive {kind}" if open_minimum else f"a non-negative {kind}"
        if minimum == 1 and kind == "integer" and not open_minimum:
            return "a positive integer"
        return f"{article} {kind} {'>' if open_minimum else '>='} {minimum:g}"
    if minimum is None:
        return f"{article} {kind} {'<' if open_maximum else '<='} {maximum:g}"
    return (f"{article} {kind} in {'(' if open_minimum else '['}{minimum:g}, "
            f"{maximum:g}{')' if open_maximum else ']'}")


def check_int(value, name: str, function: str, *, minimum=None, maximum=None, allowed: str | None = None) -> int:
    """``value`` as an ``int`` (NumPy integers welcome, bools refused).

    TypeError if it is not an integer; ValueError if it lies outside [minimum, maximum].
    allowed: the words for the message (default from the bounds, e.g. "a positive integer").
    """
    allowed = allowed or _bounds_words("integer", minimum, maximum)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _fail(TypeError, function, name, allowed, value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise _fail(ValueError, function, name, allowed, value)
    return int(value)


def check_real(value, name: str, function: str, *, minimum=None, maximum=None, open_minimum=False,
               open_maximum=False, allowed: str | None = None) -> float:
    """``value`` as a finite ``float`` (ints, NumPy and 0-d torch numbers welcome, bools refused).

    TypeError if it is not a real number; ValueError if it is NaN, infinite or outside the
    interval (open_minimum / open_maximum exclude the bound itself).
    """
    allowed = allowed or _bounds_words("number", minimum, maximum, open_minimum, open_maximum)
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()  # a 0-d NumPy array or torch tensor
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _fail(TypeError, function, name, allowed, value)
    number = float(value)
    inside = math.isfinite(number) and (
        minimum is None or (number > minimum if open_minimum else number >= minimum)) and (
        maximum is None or (number < maximum if open_maximum else number <= maximum))
    if not inside:
        raise _fail(ValueError, function, name, allowed, value)
    return number


def check_choice(value, name: str, function: str, choices) -> object:
    """``value`` if it is one of ``choices``; else ValueError listing them."""
    try:
        found = value in choices
    except TypeError:  # e.g. an unhashable list tested against a dict's keys
        found = False
    if not found:
        listed = ", ".join(repr(choice) for choice in choices)
        raise _fail(ValueError, function, name, f"one of {listed}", value)
    return value


def check_flag(value, name: str, function: str) -> bool:
    """``value`` as a ``bool``; TypeError for anything but True or False (NumPy bools welcome)."""
    if not isinstance(value, (bool, np.bool_)):
        raise _fail(TypeError, function, name, "True or False", value)
    return bool(value)


def check_instance(value, name: str, function: str, types, allowed: str):
    """``value`` if it is an instance of ``types``; else TypeError saying it must be ``allowed``."""
    if not isinstance(value, types):
        raise TypeError(f"{function} expects {name} to be {allowed}; got {type(value).__name__}.")
    return value


def _shape_problem(shape, ndim, expected) -> bool:
    if ndim is not None and len(shape) not in (ndim if isinstance(ndim, tuple) else (ndim,)):
        return True
    if expected is not None:
        return len(shape) != len(expected) or any(e is not None and e != s for e, s in zip(expected, shape))
    return False


def check_array(value, name: str, function: str, *, ndim=None, shape=None, allowed: str | None = None,
                dtype=float, finite=False) -> np.ndarray:
    """``value`` (array, list, number or tensor) as a NumPy array of ``dtype``.

    ndim: the number of axes allowed (an int or a tuple of ints); shape: the expected shape,
    None for an axis of any length, e.g. (None, 2). allowed: how the message describes the
    expected shape ("of shape (N, 2), one point per row"). finite: refuse NaN and infinity.
    TypeError if it is not numbers; ValueError for a wrong shape or a non-finite entry.
    """
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    try:
        array = np.asarray(value)
        if array.dtype.kind not in "biuf":  # None, strings ("1.5" too), objects: not numbers
            raise TypeError(array.dtype)
        array = array if dtype is None else array.astype(dtype, copy=False)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{function} expects {name} to be a NumPy array of numbers; "
                        f"got {type(value).__name__}.") from error
    if _shape_problem(array.shape, ndim, shape):
        if allowed is None:
            allowed = (f"an array of shape {tuple('N' if s is None else s for s in shape)}" if shape is not None
                       else f"an array with {' or '.join(map(str, ndim if isinstance(ndim, tuple) else (ndim,)))} axes")
        raise ValueError(f"{function} expects {name} to be {allowed}; got shape {array.shape}.")
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(f"{function} expects {name} to hold finite numbers; it holds NaN or infinity.")
    return array


def check_tensor(value, name: str, function: str, *, examples=False, ndim=None, allowed: str | None = None):
    """``value`` (tensor, NumPy array or list) as a detached float32 torch tensor.

    examples=True requires a data set, one example per row: shape (N, ...) with N >= 1.
    ndim: the number of axes allowed (an int or a tuple of ints).
    TypeError if it is not numbers; ValueError for a wrong shape.
    """
    import torch

    if isinstance(value, torch.Tensor):
        tensor = value.detach().float()
    else:
        try:
            tensor = torch.as_tensor(np.asarray(value, dtype=np.float32))
        except (TypeError, ValueError) as error:
            raise TypeError(f"{function} expects {name} to be a NumPy array or tensor of numbers; "
                            f"got {type(value).__name__}.") from error
    if examples and (tensor.ndim < 2 or len(tensor) == 0):
        raise ValueError(f"{function} expects {name} of shape (N, ...) with N >= 1 examples, e.g. (N, 2) for "
                         f"points in the plane; got shape {tuple(tensor.shape)}.")
    if _shape_problem(tuple(tensor.shape), ndim, None):
        allowed = allowed or f"a tensor with {' or '.join(map(str, ndim if isinstance(ndim, tuple) else (ndim,)))} axes"
        raise ValueError(f"{function} expects {name} to be {allowed}; got shape {tuple(tensor.shape)}.")
    return tensor


def check_widths(value, name: str, function: str, *, example="(64, 64)", minimum_length=1) -> tuple[int, ...]:
    """Layer widths as a tuple of positive ints; a single int is one layer.

    TypeError if it is not a sequence of integers; ValueError if a width is below 1 or there
    are fewer than ``minimum_length`` of them.
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = (value,)
    allowed = f"a tuple of layer widths such as {example}"
    if not isinstance(value, (tuple, list)):
        raise _fail(TypeError, function, name, allowed, value)
    widths = tuple(check_int(width, f"each entry of {name}", function, minimum=1) for width in value)
    if len(widths) < minimum_length:
        raise _fail(ValueError, function, name, f"{allowed}, at least {minimum_length} long", value)
    return widths


def as_numpy(values) -> np.ndarray:
    """A float NumPy array from a tensor (detached, on the CPU), an array or a list."""
    if hasattr(values, "detach"):
        values = values.detach().cpu().numpy()
    return np.asarray(values, dtype=float)


def check_batch(value, name: str, function: str, width: int, *, hint: str = ""):
    """``value`` itself if it is a torch tensor of shape (N, width): a batch a model's method takes.

    TypeError if it is not a tensor; ValueError for another shape, followed by ``hint`` (e.g.
    how to flatten images) when the tensor has more than two axes.
    """
    import torch

    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{function} expects {name} to be a torch tensor of shape (N, {width}); "
                        f"got {type(value).__name__}.")
    if value.ndim != 2 or value.shape[1] != width:
        extra = f" {hint}" if hint and value.ndim > 2 else ""
        raise ValueError(f"{function} expects {name} of shape (N, {width}); got shape {tuple(value.shape)}.{extra}")
    return value
