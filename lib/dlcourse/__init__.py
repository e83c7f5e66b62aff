"""dlcourse: the helper library of the dlcourse deep-learning course.

Submodules mirror the lectures and are imported on first use, so ``import dlcourse``
stays fast and does not pull in torch, keras or matplotlib:

- ``dlcourse.datasets``  offline toy and real data (XOR, spiral, MNIST-5k, ...)
- ``dlcourse.plotting``  decision boundaries, live training curves, image grids
- ``dlcourse.nn``        NumPy reference implementations (perceptron, activations, ...)
- ``dlcourse.models``    PyTorch reference models and the training loop ``fit``
- ``dlcourse.checks``    student-facing test helpers (check_close, check_gradient, forbid_reference)
- ``dlcourse.widgets``   ipywidgets explorers (activations, playground, optimisers, kernels)
- ``dlcourse.distributed``  data, model and pipeline parallelism, all-reduce and a parameter server on
  torch.distributed, with the workers that spawned processes import (lecture 18)

The instructor's side, ``dlcourse.grading``, is imported explicitly (it needs nbgrader).

Top-level helpers: ``seed_everything``, ``rng``, ``torch_generator``, ``report``, ``device``,
``progress``, ``set_progress``.
"""
from __future__ import annotations

import importlib
import os

# Keras 3 must pick its backend before it is first imported; torch is the only one installed.
os.environ.setdefault("KERAS_BACKEND", "torch")

from .config import device, progress, rng, seed_everything, set_progress, torch_generator  # noqa: E402
from .report import report  # noqa: E402

__version__ = "0.1.0"

_SUBMODULES = ("datasets", "plotting", "nn", "models", "checks", "widgets", "distributed")

__all__ = ["seed_everything", "rng", "torch_generator", "report", "device", "progress", "set_progress", *_SUBMODULES]


def __getattr__(name):
    # PEP 562: import a submodule the first time it is used (dlcourse.datasets.xor(...)).
    if name in _SUBMODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'dlcourse' has no attribute {name!r}; public names: {', '.join(__all__)}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
