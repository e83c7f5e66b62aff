"""Repository-wide pytest hooks.

Executing a notebook must not write into the repository (figures, data, checkpoints):
notebooks write to a temporary folder or nowhere. The work tree is snapshotted before a
notebook's first cell runs and compared after its last; a file the notebook created, or a
tracked file it changed or deleted, fails that notebook once, at its teardown, naming both.
Untracked files that were there before (`make test > test.log`) are the user's and left alone.

Every figure a lecture draws is checked as it is drawn (`tests/figure_check.py`: titles or
axis labels, legends, titles that neither overlap nor stick out): the lectures' kernels get
an IPython startup file that installs the check, and a cell whose figures break a rule fails
with the list of what is wrong.
"""
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "tests"))
from notebook_tools import changed_files, repository_files, tracked_files  # noqa: E402

_snapshots = {}
LECTURES = Path(__file__).parent / "lectures"


# --- the figure check --------------------------------------------------------------------
def pytest_configure(config):
    """Give the kernels this process starts a profile whose startup file installs the figure
    check (in the lectures' folder only), reporting into a file of this process's own."""
    folder = Path(tempfile.mkdtemp(prefix="dlcourse-figures-"))
    report = folder / "problems.jsonl"
    startup = folder / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-dlcourse-figure-check.py").write_text(
        "import os, sys\n"
        f"if os.path.realpath(os.getcwd()) == {str(LECTURES.resolve())!r}:\n"
        f"    sys.path.insert(0, {str(Path(__file__).parent / 'tests')!r})\n"
        "    import figure_check\n"
        f"    figure_check.install({str(report)!r})\n"
        "    del figure_check\n")
    os.environ["IPYTHONDIR"] = str(folder / "ipython")
    config._dlcourse_figure_report = (report, [0])


def _new_figure_problems(config) -> list[str]:
    report, offset = config._dlcourse_figure_report
    if not report.exists():
        return []
    with open(report) as lines:
        lines.seek(offset[0])
        text = lines.read()
        offset[0] = lines.tell()
    return [problem for line in text.splitlines() if line.strip() for problem in json.loads(line)["problems"]]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    notebook = _notebook_of(item)
    if notebook is not None:
        found = _new_figure_problems(item.config)
        if found and notebook.parent.resolve() == LECTURES.resolve():
            raise AssertionError(f"{notebook.name}: a figure drawn by this cell is hard to read:\n"
                                 + "\n".join(f"- {problem}" for problem in found))
    return result


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
