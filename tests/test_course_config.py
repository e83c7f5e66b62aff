"""The course's nbgrader configuration as the formgrader and students' JupyterLab use it:
serialisable (the formgrader shows it), with a working local exchange, and the per-cell time
limits surviving the copies traitlets and multiprocessing make."""
import copy
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from dlcourse.grading import Course
from dlcourse.grading.cli import main
from dlcourse.grading.time_limits import CellTimeLimits
from test_grading import ASSIGNMENT, _student_copy
from test_grading import course  # noqa: F401 - the fixture, reused

REPO = Path(__file__).resolve().parent.parent


def test_the_course_config_is_json_and_names_its_preprocessors_and_time_limits():
    config = Course(REPO / "course").config
    shown = json.loads(json.dumps(config))  # what the formgrader's "Current configuration" prints
    assert "dlcourse.grading.stubs.NamedClearSolutions" in shown["GenerateAssignment"]["preprocessors"]
    assert "dlcourse.grading.executor.GradingExecute" in shown["Autograde"]["autograde_preprocessors"]
    assert shown["GenerateFeedback"]["preprocessors"][0] == "dlcourse.grading.hide_hidden.HideHiddenTests"
    assert "cell_time_limit(default=60" in shown["Execute"]["timeout_func"]


def test_cell_time_limits_survive_copy_deepcopy_and_pickle():
    limits = CellTimeLimits(default=45, answers=5)
    answer_cell = {"metadata": {"nbgrader": {"solution": True}}}
    declared = {"metadata": {"dlcourse": {"time_limit": 150}}}
    for again in (copy.copy(limits), copy.deepcopy(limits), pickle.loads(pickle.dumps(limits))):
        assert isinstance(again, CellTimeLimits)
        assert (again({"metadata": {}}), again(answer_cell), again(declared)) == (45, 5, 150)


def test_the_course_has_a_local_exchange_so_release_and_collect_work(monkeypatch):
    monkeypatch.delenv("DLCOURSE_EXCHANGE", raising=False)
    course = Course(REPO / "course")
    assert Path(course.config.Exchange.root) == REPO / "course" / "exchange"
    assert (REPO / "course" / "exchange").is_dir()
    assert course.api().exchange_missing is False  # the formgrader's banner reads this


def test_dlcourse_exchange_names_a_shared_exchange(monkeypatch, tmp_path):
    monkeypatch.setenv("DLCOURSE_EXCHANGE", str(tmp_path))
    assert Course(REPO / "course").config.Exchange.root == str(tmp_path)


@pytest.mark.slow
def test_release_fetch_submit_collect_through_the_exchange(course, tmp_path, monkeypatch, capsys):  # noqa: F811
    """The instructor releases to the course's exchange, a student fetches, answers and submits
    with nbgrader's own commands, and the instructor collects the submission."""
    monkeypatch.delenv("DLCOURSE_EXCHANGE", raising=False)
    assert main(["release", ASSIGNMENT]) == 0
    exchange = course.course_dir / "exchange"
    api = course.api()
    assert api.exchange_missing is False
    assert api.release_assignment(ASSIGNMENT)["success"]

    student = tmp_path / "student"
    student.mkdir()

    def nbgrader(*args):
        done = subprocess.run([sys.executable, "-m", "nbgrader", *args, "--course=dlcourse", f"--Exchange.root={exchange}"],
                              cwd=student, capture_output=True, text=True, env={**os.environ, "HOME": str(student)})
        assert done.returncode == 0, done.stderr[-2000:]

    nbgrader("fetch_assignment", ASSIGNMENT)
    fetched = student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert fetched.is_file()
    nbformat.write(_student_copy(course), fetched)
    nbgrader("submit", ASSIGNMENT)

    assert api.collect(ASSIGNMENT)["success"]
    submitted = list((course.root / "course" / "submitted").glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"))
    assert len(submitted) == 1
    assert "return 2 * x" in nbformat.read(submitted[0], as_version=4).cells[2].source
