"""Per-cell time limits in grading: a minute by default, more where a test cell declares it."""
from pathlib import Path

from dlcourse.grading import Course
from dlcourse.grading.time_limits import CEILING_SECONDS, cell_time_limit
from dlcourse.grading.verify import CHECK_CELL_TIMEOUT, temporary_course

REPO = Path(__file__).resolve().parent.parent
TEST_CELL = {"nbgrader": {"grade": True, "solution": False, "locked": True, "grade_id": "test_f", "points": 2}}
ANSWER_CELL = {"nbgrader": {"grade": False, "solution": True, "grade_id": "f"}}


def cell(metadata):
    return {"cell_type": "code", "source": "", "metadata": metadata}


def test_a_cell_without_a_declaration_gets_the_default_minute():
    assert cell_time_limit(cell({})) == 60
    assert cell_time_limit(cell(TEST_CELL)) == 60


def test_a_declared_limit_is_used_and_capped():
    assert cell_time_limit(cell({**TEST_CELL, "dlcourse": {"time_limit": 150}})) == 150
    assert cell_time_limit(cell({"dlcourse": {"time_limit": 10_000}})) == CEILING_SECONDS


def test_a_malformed_declaration_falls_back_to_the_default():
    for bad in ("150", None, True, -5, 0, [150]):
        assert cell_time_limit(cell({"dlcourse": {"time_limit": bad}})) == 60


def test_the_course_config_uses_the_per_cell_limits():
    course = Course(REPO / "course")
    limit = course.config.Execute.timeout_func
    assert limit(cell(ANSWER_CELL)) == 60
    assert limit(cell({**TEST_CELL, "dlcourse": {"time_limit": 150}})) == 150


def test_the_check_cuts_answer_cells_short_but_keeps_other_cells_at_full_time():
    with temporary_course(Course(REPO / "course")) as scratch:
        limit = scratch.config.Execute.timeout_func
        assert limit(cell(ANSWER_CELL)) == CHECK_CELL_TIMEOUT
        assert limit(cell(TEST_CELL)) == 60
        assert limit(cell({})) == 60  # set-up cells: imports and data loading
        assert limit(cell({**TEST_CELL, "dlcourse": {"time_limit": 150}})) == 150
