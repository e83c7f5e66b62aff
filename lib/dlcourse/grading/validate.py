"""`dlcourse validate NOTEBOOK`: run an assignment the way the grader does and say, in one line
per graded part, what passed, what failed and why.

nbgrader's Validate button answers with every failing test cell's source and traceback
(about 27,000 characters for an untouched a01). This module runs the notebook the same way,
as grading does (the course kernel, ``NBGRADER_EXECUTION=validate``, the course's time limit
for each cell, the checks guarded, harmless warnings ignored), and keeps of each test cell
only what a student acts on:

    part                result  points  why
    sigmoid             failed     0/2  not answered yet: NotImplementedError: Implement sigmoid(z) ...
    tanh                passed     2/2
    total: 1 of 13 parts passed, 2/25 points

A part is one graded test cell, named by its ``with checks.tests_of("<function>"):`` block
(else by its nbgrader ``grade_id``). The notebook is read, never written: it runs in memory.
Only the visible tests run (a student's copy has no hidden ones), so the points are the most
that grading can give.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from traitlets.config import Config

from .course import CONFIG_NAME, CourseError, find_course_dir
from .stubs import STUB_END, STUBBED_FUNCTION
from .time_limits import DEFAULT_SECONDS, cell_time_limit

__all__ = ["PartResult", "ValidateError", "validate", "report", "read_notebook", "course_settings"]

COURSE_KERNEL = "dlcourse"
_TESTS_OF = re.compile(r"""tests_of\(\s*["']([^"']+)["']""")
_CELL_FILE = re.compile(r"\(\d+\.py, (line \d+)")  # "invalid syntax (538507814.py, line 1)"
_LONGEST_MESSAGE = 300  # characters of a failure's first line; the terminal wraps the rest


class ValidateError(Exception):
    """A notebook that cannot be validated; the message says why in one sentence."""


@dataclass(frozen=True)
class PartResult:
    """One graded test cell after the run."""

    name: str          # the function under test, or the cell's grade_id
    passed: bool
    points: float      # earned: the cell's points if it passed, else 0 (or nbgrader's partial credit)
    max_points: float  # the test cell's nbgrader ``points``
    message: str       # first line of why it failed ("" if it passed and its test cell is unedited)
    unanswered: bool   # it failed on the stub's NotImplementedError: the answer is still to write


# ------------------------------------------------------------------ reading the notebook
def read_notebook(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path``, or a ValidateError saying in one sentence why it cannot be read."""
    if not path.exists():
        raise ValidateError(f"There is no file {path}: check the name (Tab completes it in the terminal).")
    if path.is_dir():
        raise ValidateError(f"{path} is a folder: name the notebook inside it, such as {path}/{path.name}.ipynb.")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValidateError(f"{path} cannot be read ({error.__class__.__name__}): is it a notebook?") from None
    restore = "restore it from a checkpoint (File > Revert Notebook to Checkpoint) or a backup"
    if not text.lstrip().startswith("{"):
        raise ValidateError(f"{path} is not a Jupyter notebook (a notebook is a JSON file starting with {{); "
                            "name the assignment's .ipynb file.")
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidateError(f"{path} is not a readable notebook: its JSON is damaged at line {error.lineno}, "
                            f"column {error.colno} ({error.msg}); {restore}.") from None
    try:
        nb = nbformat.reads(text, as_version=4, capture_validation_error={})
    except Exception:  # nbformat's many ways of saying "JSON, but not a notebook"
        raise ValidateError(f"{path} is not a Jupyter notebook (nbformat cannot read it); "
                            f"name the assignment's .ipynb file, or {restore}.") from None
    tests = [cell for cell in nb.cells if _is_test_cell(cell)]
    if not tests:
        raise ValidateError(f"{path} has no graded test cells, so there is nothing to validate: "
                            "name an assignment notebook, such as assignments/<id>/<id>.ipynb.")
    for cell in tests:
        points = _nbgrader(cell).get("points")
        if isinstance(points, bool) or not isinstance(points, (int, float)):
            raise ValidateError(f"The test cell {_part_name(cell)!r} of {path} has lost its points in its metadata, "
                                f"so the notebook's grading data is damaged; {restore}.")
    return nb


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _is_test_cell(cell) -> bool:
    """An autograded test cell (nbgrader "Autograder tests"): graded, with points, not an answer."""
    meta = _nbgrader(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _part_name(cell) -> str:
    """The function a test cell tests (its ``tests_of`` block), else its grade_id."""
    found = _TESTS_OF.search(cell.source)
    return found.group(1) if found else _nbgrader(cell).get("grade_id", "unnamed test cell")


# ------------------------------------------------------------------ running it as the grader does
def course_settings(course_dir: Path | None = None, start: Path | None = None) -> Config:
    """How the course runs notebooks: its nbgrader_config.py when one is found, else the same
    defaults (kernel ``dlcourse``, a minute per cell unless a test cell asks for more)."""
    config = Config()
    config.ExecutePreprocessor.kernel_name = COURSE_KERNEL
    config.Execute.timeout = DEFAULT_SECONDS
    config.Execute.timeout_func = cell_time_limit
    config.Execute.interrupt_on_timeout = True
    config.Execute.extra_arguments = ["--IPKernelApp.log_level=ERROR"]
    config.IgnorePattern.enabled = True
    config.IgnorePattern.pattern = r"(Deprecation|Future|User|Runtime)Warning"
    try:
        folder = Path(course_dir) if course_dir else find_course_dir(start)
    except CourseError:
        return config  # a student's copy outside the repository: the defaults above are the course's
    from traitlets.config.loader import PyFileConfigLoader

    if not (folder / CONFIG_NAME).is_file():
        raise ValidateError(f"{folder} has no {CONFIG_NAME}: point --course at the course/ folder.")
    try:
        config.merge(PyFileConfigLoader(CONFIG_NAME, path=str(folder)).load_config())
    except Exception as error:  # the instructor's file: say which and why, not a traceback
        raise ValidateError(f"{folder / CONFIG_NAME} cannot be loaded ({error.__class__.__name__}: "
                            f"{_first_line(error)}); fix it or validate outside the course folder.") from None
    return config


def _quiet_logger() -> logging.Logger:
    # nbclient logs a timeout or an interrupt as an error; the summary line already says it.
    log = logging.getLogger("dlcourse.validate")
    log.propagate = False
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    return log


def _run(nb, folder: Path, config: Config):
    """Execute ``nb`` in memory as ``nbgrader validate`` does, with the grader's guarded executor.

    Returns the executed notebook and the function giving each cell's time limit in seconds.
    """
    from jupyter_client.kernelspec import NoSuchKernel
    from nbgrader import utils
    from nbgrader.preprocessors import ClearOutput, IgnorePattern

    from .executor import GradingExecute

    executor = GradingExecute(config=config, sandbox=False, log=_quiet_logger())
    resources = {"metadata": {"path": str(folder)}}  # the kernel starts in the notebook's folder
    nb, resources = ClearOutput(config=config).preprocess(nb, resources)
    try:
        with utils.setenv(NBGRADER_VALIDATING="1", NBGRADER_EXECUTION="validate"):
            nb, resources = executor.preprocess(nb, resources)
    except NoSuchKernel:
        raise ValidateError(f"The course kernel {executor.kernel_name!r} is not installed: run `make lab` once "
                            "in the course folder (it installs it), then validate again.") from None
    nb, _ = IgnorePattern(config=config).preprocess(nb, resources)
    return nb, lambda cell: executor.timeout_func(cell) if executor.timeout_func else executor.timeout


# ------------------------------------------------------------------ reading the results
def _error_line(output) -> str:
    """'ename: first line of evalue', without the temporary file name IPython gives a cell."""
    message = _CELL_FILE.sub(r"(\1", _first_line(output.get("evalue", "")))
    ename = output.get("ename", "Error")
    return f"{ename}: {message}" if message else ename


def _first_line(text: str) -> str:
    line = next((line.strip() for line in str(text).splitlines() if line.strip()), "")
    return line if len(line) <= _LONGEST_MESSAGE else line[:_LONGEST_MESSAGE - 3] + "..."


def _why(cell, limit: int) -> tuple[str, str]:
    """(first line of why the cell failed, ename of its error or "")."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if any(o.get("ename") == "CellTimeoutError" for o in errors):  # after the interrupt's KeyboardInterrupt
        return f"did not finish within {limit:g} s", "CellTimeoutError"
    if errors:
        return _error_line(errors[0]), errors[0].get("ename", "Error")
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            return f"wrote to stderr, which scores 0: {_first_line(output.get('text', ''))}", ""
    return "passed only some of its tests", ""


@dataclass(frozen=True)
class _Answer:
    stubs: frozenset   # functions whose stub (raise NotImplementedError("Implement f(...") is still there
    error: str         # first line of the error the answer cell itself raised (a typo, say), or ""


def _answers(nb) -> dict[str, _Answer]:
    """{grade_id: _Answer} of the answer cells, after the run."""
    answers = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or not _nbgrader(cell).get("solution"):
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        error = _error_line(errors[0]) if errors else ""
        answers[_nbgrader(cell).get("grade_id", "")] = _Answer(frozenset(STUBBED_FUNCTION.findall(cell.source)), error)
    return answers


def _edited(cell) -> bool:
    """A locked test cell whose source differs from the release's (grading runs the original)."""
    from nbgrader import utils

    recorded = _nbgrader(cell).get("checksum")
    return bool(recorded) and recorded != utils.compute_checksum(cell)


def _results(nb, time_limit=cell_time_limit) -> list[PartResult]:
    """One PartResult per graded test cell of an executed notebook, in notebook order.

    time_limit(cell): the seconds the cell was given, for the message of one that ran out.
    """
    from nbgrader import utils

    answers = _answers(nb)
    parts = []
    for cell in nb.cells:
        if not _is_test_cell(cell):
            continue
        name = _part_name(cell)
        score, max_points = utils.determine_grade(cell)
        score = float(score or 0)
        edited = " (you edited this test cell: grading runs the original)" if _edited(cell) else ""
        if score >= max_points and not utils.has_failed(cell):
            parts.append(PartResult(name, True, score, max_points, edited.strip(" ()"), False))
            continue
        message, ename = _why(cell, time_limit(cell))
        answer = answers.get(name, _Answer(frozenset(), ""))
        stub = STUBBED_FUNCTION.match(message)
        # the stub of this part's own answer cell, not one of an earlier part it calls
        unanswered = bool(stub) and (stub.group(1) == name or stub.group(1) in answer.stubs)
        if answer.error and ename != "CellTimeoutError":
            message = f"its answer cell raised {answer.error}"
        elif unanswered:  # the stub's "as its docstring describes, then run ..." is the same in every part
            message = f"not answered yet: {message.replace(STUB_END, ' as ...')}"
        parts.append(PartResult(name, False, score, max_points, message + edited, unanswered))
    return parts


def validate(path, course_dir=None) -> list[PartResult]:
    """Run the notebook at ``path`` as the grader does, without writing to it; one result per part.

    course_dir: the course/ folder whose nbgrader_config.py says how to run notebooks (default:
    found upward from the notebook; without one, the course's defaults). Raises ValidateError
    with one sentence for a notebook that cannot be validated.
    """
    path = Path(path)
    nb = read_notebook(path)
    config = course_settings(course_dir, start=path.resolve().parent)
    return _results(*_run(nb, path.resolve().parent, config))


# ------------------------------------------------------------------ the summary
def report(parts: list[PartResult]) -> str:
    """The table a student reads: part, passed/failed, points, why; then the total."""
    def points(value):
        return f"{value:g}"

    rows = [[p.name, "passed" if p.passed else "failed", f"{points(p.points)}/{points(p.max_points)}", p.message]
            for p in parts]
    header = ["part", "result", "points", "why"]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    lines = []
    for row in [header, *rows]:
        name, result, score, why = row
        lines.append(f"{name:<{widths[0]}}  {result:<{widths[1]}}  {score:>{widths[2]}}  {why}".rstrip())
    passed = sum(p.passed for p in parts)
    earned, possible = sum(p.points for p in parts), sum(p.max_points for p in parts)
    lines.append(f"total: {passed} of {len(parts)} parts passed, {points(earned)}/{points(possible)} points")
    return "\n".join(lines)
