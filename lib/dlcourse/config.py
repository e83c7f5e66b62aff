"""Seeding, device choice and the progress-bar switch shared by every lecture.

Nothing here imports torch at module load: ``import dlcourse`` stays fast, and
torch is seeded only when it is installed and asked for.

Every seed in the course passes through ``shifted_seed``: it adds the offset named by the
environment variable ``DLCOURSE_SEED_OFFSET`` (0 when unset). A notebook run with
``DLCOURSE_SEED_OFFSET=3`` draws other data, other initial weights and other mini-batches
everywhere at once, which is how the benchmark's margin run shows that a checked claim
holds for more than the one draw that was saved.
"""
from __future__ import annotations

import contextlib
import os
import random
import sys

__all__ = ["seed_everything", "rng", "torch_generator", "shifted_seed", "seed_offset",
           "device", "progress", "set_progress", "one_thread"]

SEED_OFFSET_VARIABLE = "DLCOURSE_SEED_OFFSET"

_progress_enabled = os.environ.get("DLCOURSE_PROGRESS", "1").lower() not in ("0", "false", "no", "off")


def seed_offset() -> int:
    """The shift added to every seed: ``DLCOURSE_SEED_OFFSET`` as an integer, 0 when unset."""
    text = os.environ.get(SEED_OFFSET_VARIABLE, "").strip()
    if not text:
        return 0
    try:
        offset = int(text)
    except ValueError:
        offset = -1
    if offset < 0:
        raise ValueError(f"{SEED_OFFSET_VARIABLE} must be a non-negative integer such as 3; got {text!r}. "
                         "Unset it to run with the seeds as written.")
    return offset


def _shifted(seed, function: str) -> int:
    # imported here: _validation imports NumPy, and ``import dlcourse`` must not
    from ._validation import check_int

    return check_int(seed, "seed", function, minimum=0, allowed="a non-negative integer such as 0") + seed_offset()


def shifted_seed(seed: int) -> int:
    """``seed`` plus the offset of ``DLCOURSE_SEED_OFFSET``: the seed a generator is really given."""
    return _shifted(seed, "shifted_seed")


def rng(seed: int = 0):
    """``np.random.default_rng(seed)``, with the seed shifted as every seed in the course is."""
    import numpy as np

    return np.random.default_rng(_shifted(seed, "rng"))


def torch_generator(seed: int = 0):
    """``torch.Generator().manual_seed(seed)``, with the seed shifted as every seed in the course is."""
    import torch

    return torch.Generator().manual_seed(_shifted(seed, "torch_generator"))


def seed_everything(seed: int = 0) -> int:
    """Seed Python's ``random``, NumPy's global generator and torch (CPU and CUDA).

    Keras 3 on the torch backend draws from torch's generator, so it is seeded too;
    if keras is already imported its own seed generator is reset as well.
    The seed is shifted by ``DLCOURSE_SEED_OFFSET`` when that is set; returns the seed
    really used, so a notebook can print it.
    """
    seed = _shifted(seed, "seed_everything")
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


@contextlib.contextmanager
def one_thread():
    """Run torch on one thread inside the block (or the decorated function), then restore
    the caller's setting.

    For the course's small networks splitting each step across threads costs more than it
    saves (ten times more for a Q network on a busy 2-core machine), and one thread fixes the
    order of every floating-point sum, so a run repeats exactly. Use ``with one_thread():``
    or ``@one_thread()``.
    """
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


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
