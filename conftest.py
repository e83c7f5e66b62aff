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

Every lecture that passes is also handed to the course website (`website/executed.py`):
its cells' kernel messages are recorded as nbval runs them, and after its last cell the
executed notebook is staged for `make site`, which then need not execute it again. The
website's build folder is a tool's output, so writing it is not a change to the repository.
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
WEBSITE = Path(__file__).parent / "website"
SITE_BUILD = "website/_build/"


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
    _record_kernel_messages()


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
    recording = _start_recording(item)
    try:
        result = yield
    finally:
        if recording:
            _stop_recording(item)
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
        _snapshots[notebook] = _course_files(), tracked_files()


def _course_files():
    """The work tree's files, without the website's build folder (the other worker may be
    staging a lecture there while this notebook runs)."""
    return {path: stamp for path, stamp in repository_files().items() if not path.startswith(SITE_BUILD)}


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
    changes = changed_files(before, _course_files(), tracked)
    if changes:
        raise AssertionError(
            f"{notebook.name} changed files in the repository while it ran ({', '.join(changes)}); "
            "notebooks must write to a temporary folder (tempfile.TemporaryDirectory) or nowhere."
        )


# --- lectures executed here, handed to the website ---------------------------------------
_site_runs = {}  # lecture path -> {"messages": {cell number: [kernel messages]}, "failed": bool}


def _site_wanted(item) -> bool:
    """A lecture cell run by nbval, in a checkout that has the website."""
    notebook = _notebook_of(item)
    return (notebook is not None and notebook.parent.resolve() == LECTURES.resolve()
            and hasattr(item, "cell_num") and (WEBSITE / "conf.py").is_file())


def _record_kernel_messages():
    """Make nbval's notebook collector keep every kernel message it reads, for the cell
    running now (nbval itself skips clear_output and display updates, which the page needs)."""
    try:
        from nbval.plugin import IPyNbFile
    except ImportError:
        return
    if getattr(IPyNbFile.get_kernel_message, "_dlcourse_records", False):
        return
    original = IPyNbFile.get_kernel_message

    def get_kernel_message(self, *args, **kwargs):
        message = original(self, *args, **kwargs)
        recording = getattr(self, "_dlcourse_messages", None)
        if recording is not None:
            recording.append(message)
        return message

    get_kernel_message._dlcourse_records = True
    IPyNbFile.get_kernel_message = get_kernel_message


def _start_recording(item) -> bool:
    if not _site_wanted(item):
        return False
    item.parent._dlcourse_messages = []
    return True


def _stop_recording(item):
    messages = item.parent.__dict__.pop("_dlcourse_messages", [])
    run = _site_runs.setdefault(_notebook_of(item), {"messages": {}, "failed": False})
    run["messages"][item.cell_num] = messages


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if not _site_wanted(item):
        return report
    notebook = _notebook_of(item)
    run = _site_runs.setdefault(notebook, {"messages": {}, "failed": False})
    if report.failed or report.skipped:
        run["failed"] = True
    cells = sum(cell.cell_type == "code" for cell in item.parent.nb.cells)
    if report.when == "teardown" and item.cell_num == cells - 1:
        run = _site_runs.pop(notebook)
        # Only a lecture whose every cell ran here and passed (the hygiene check included).
        if not run["failed"] and sorted(run["messages"]) == list(range(cells)):
            _stage_for_the_website(item, notebook, run["messages"])
        else:  # an earlier run's copy of a lecture that fails now must not reach the site
            (WEBSITE / "_build" / "executed" / notebook.name).unlink(missing_ok=True)
    return report


def _stage_for_the_website(item, notebook, messages):
    if str(WEBSITE) not in sys.path:
        sys.path.insert(0, str(WEBSITE))
    import executed

    try:
        executed.stage(executed.executed_notebook(item.parent.nb, messages), notebook)
    except Exception as error:  # noqa: BLE001 - the lecture passed; only the site loses its copy
        import warnings

        warnings.warn(f"{notebook.name} passed but could not be staged for the website ({error}); "
                      "`make site` will execute it", stacklevel=1)
