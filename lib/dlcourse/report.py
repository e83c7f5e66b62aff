"""Headline figures of a notebook, printed for the reader and logged for the benchmarks.

A lecture calls ``report("test accuracy", acc)`` once per figure it promises
(accuracy, final loss, mean return). The value is printed; when the environment
variable ``DLCOURSE_METRICS`` names a file, one JSON line
``{"notebook": ..., "name": ..., "value": ...}`` is appended to it, which is how
the benchmark runner learns what each notebook achieved.
"""
from __future__ import annotations

import json
import math
import numbers
import os
import sys

__all__ = ["report"]


def _notebook_name() -> str | None:
    """Best guess of the running notebook's path, or None outside a notebook."""
    for variable in ("DLCOURSE_NOTEBOOK", "JPY_SESSION_NAME"):
        if os.environ.get(variable):
            return os.environ[variable]
    # JupyterLab's kernels set __session__ in the user namespace to the notebook path.
    main = sys.modules.get("__main__")
    return getattr(main, "__session__", None) or None


def _as_number(value):
    """Return a plain Python int/float for numpy and torch scalars; raise for anything else."""
    if hasattr(value, "item") and getattr(value, "ndim", 0) == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"report expects a single number (int, float or a 0-d array); got {type(value).__name__}. "
            "Report one figure per call, e.g. report('test accuracy', float(acc))."
        )
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def report(name: str, value, digits: int = 4):
    """Print ``name: value`` and log it for the benchmark runner.

    name: what the figure is ("test accuracy", "mean return"); value: a number.
    Floats are printed with ``digits`` decimals so a checked cell prints the same
    text on every run. Returns the value as a plain Python number.
    """
    if not isinstance(name, str):
        raise TypeError(f"report expects name to be a non-empty string such as 'test accuracy'; "
                        f"got {type(name).__name__}.")
    if not name.strip():
        raise ValueError(f"report expects name to be a non-empty string such as 'test accuracy'; got {name!r}.")
    number = _as_number(value)
    shown = f"{number:.{digits}f}" if isinstance(number, float) and math.isfinite(number) else str(number)
    print(f"{name}: {shown}")
    path = os.environ.get("DLCOURSE_METRICS")
    if path:
        record = {"notebook": _notebook_name(), "name": name, "value": number}
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
    return number
