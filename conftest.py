"""Repository-wide pytest hooks.

Executing a notebook must not write into the repository (figures, data, checkpoints):
notebooks write to a temporary folder or nowhere. The work tree is snapshotted before a
notebook's first cell runs and compared after its last; any difference fails the
notebook at teardown, naming the files.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "tests"))
from notebook_tools import changed_files, repository_files  # noqa: E402

_snapshots = {}


def _notebook_of(item):
    path = Path(str(item.fspath))
    return path if path.suffix == ".ipynb" else None


def pytest_runtest_setup(item):
    notebook = _notebook_of(item)
    if notebook is not None and notebook not in _snapshots:
        _snapshots[notebook] = repository_files()


def pytest_runtest_teardown(item, nextitem):
    notebook = _notebook_of(item)
    if notebook is None or (nextitem is not None and _notebook_of(nextitem) == notebook):
        return
    before = _snapshots.pop(notebook, None)
    if before is None:
        return
    changes = changed_files(before, repository_files())
    if changes:
        raise AssertionError(
            f"{notebook.name} changed files in the repository while it ran ({', '.join(changes)}); "
            "notebooks must write to a temporary folder (tempfile.TemporaryDirectory) or nowhere."
        )
