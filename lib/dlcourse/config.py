"""Seeding, device choice and the progress-bar switch shared by every lecture.

Nothing here imports torch at module load: ``import dlcourse`` stays fast, and
torch is seeded only when it is installed and asked for.
"""
from __future__ import annotations

import os
import random
import sys

__all__ = ["seed_everything", "device", "progress", "set_progress"]

_progress_enabled = os.environ.get("DLCOURSE_PROGRESS", "1").lower() not in ("0", "false", "no", "off")


def seed_everything(seed: int = 0) -> int:
    """Seed Python's ``random``, NumPy's global generator and torch (CPU and CUDA).

    Keras 3 on the torch backend draws from torch's generator, so it is seeded too;
    if keras is already imported its own seed generator is reset as well.
    Returns the seed, so a notebook can print what it used.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed_everything expects a non-negative integer seed; got {seed!r}.")
    random.seed(seed)
    # PYTHONHASHSEED only affects processes started after this point (e.g. data workers).
    os.environ["PYTHONHASHSEED"] = str(seed)
    import numpy as np

    np.random.seed(seed)
    import torch

    torch.manual_seed(seed)  # also seeds every CUDA device
    if "keras" in sys.modules:
        sys.modules["keras"].utils.set_random_seed(seed)
    return seed


def device() -> str:
    """The torch device lectures train on: ``"cuda"`` when a GPU is visible, else ``"cpu"``.

    ``DLCOURSE_DEVICE`` overrides the choice (e.g. ``cpu`` to compare timings).
    """
    wanted = os.environ.get("DLCOURSE_DEVICE")
    if wanted:
        return wanted
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def set_progress(enabled: bool) -> None:
    """Turn the library's progress bars on or off for this process.

    The environment variable ``DLCOURSE_PROGRESS=0`` sets the default to off.
    """
    global _progress_enabled
    _progress_enabled = bool(enabled)


def progress(iterable=None, *, total=None, desc=None, disable=None, **kwargs):
    """Wrap a loop in a tqdm progress bar (a widget in Jupyter, text elsewhere).

    ``disable=None`` follows the library-wide switch (``set_progress``), so one call
    silences every long loop in the library.
    """
    from tqdm.auto import tqdm

    if disable is None:
        disable = not _progress_enabled
    return tqdm(iterable, total=total, desc=desc, disable=disable, leave=kwargs.pop("leave", False), **kwargs)
