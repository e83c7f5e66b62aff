"""Repository-wide pytest hooks.

Executing a notebook must not write into the repository (figures, data, checkpoints):
notebooks write to a temporary folder or nowhere. The work tree is snapshotted before a
notebook's first cell runs and compared after its last; a file the notebook created, or a
tracked file it changed or deleted, fails that notebook once, at its teardown, naming both.
Untracked files that were there before (`make test > test.log`) are the user's and left alone.
"""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "tests"))
from notebook_tools import changed_files, repository_files, tracked_files  # noqa: E402

_snapshots = {}


def _notebook_of(item):
    path = Path(str(item.fspath))
    return path if path.suffix == ".ipynb" else None


def pytest_runtest_setup(item):
    notebook = _notebook_of(item)
    if notebook is not None and notebook not in _snapshots:
        _snapshots[notebook] = repository_files(), tracked_files()


# trylast: pytest's own teardown runs first, so a failure here is this notebook's alone and
# the next test does not start from a half torn-down state.
@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    notebook = _notebook_of(item)
    if notebook is None or (nextitem is not None and _notebook_of(nextitem) == notebook):
        return
    snapshot = _snapshots.pop(notebook, None)
    if snapshot is None:
        return
    before, tracked = snapshot
    changes = changed_files(before, repository_files(), tracked)
    if changes:
        raise AssertionError(
            f"{notebook.name} changed files in the repository while it ran ({', '.join(changes)}); "
            "notebooks must write to a temporary folder (tempfile.TemporaryDirectory) or nowhere."
        )
