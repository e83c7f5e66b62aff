"""Every assignment's grader is proven, with no test edits when an assignment is added:
the committed release is what nbgrader generates from the source (drift), the solution
gets full marks, the untouched release zero, every mutant loses marks on the function it
broke, and damaged submissions are graded as far as possible and reported."""
from pathlib import Path

import pytest

from dlcourse.grading import Course
from dlcourse.grading.verify import check, convention_problems, submission_names

REPO = Path(__file__).resolve().parent.parent
MUTANTS = REPO / "tests" / "mutants"
COURSE = Course(REPO / "course")
ASSIGNMENTS = COURSE.assignments()
CASES = [(a.name, s) for a in ASSIGNMENTS for s in submission_names(a, MUTANTS)]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """assignment -> (drift problems, {student: verdict}), graded once per assignment."""
    cache = {}

    def get(name):
        if name not in cache:
            ((_, drift, verdicts),) = list(check(COURSE, [name], MUTANTS, jobs=None))
            cache[name] = drift, {v.expectation.student: v for v in verdicts}
        return cache[name]

    return get


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_assignment_follows_the_conventions(assignment):
    assert convention_problems(assignment, MUTANTS) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_committed_release_matches_a_fresh_one(assignment, results):
    drift, _ = results(assignment.name)
    assert drift == []


@pytest.mark.parametrize("assignment,student", CASES, ids=[f"{a}:{s}" for a, s in CASES])
def test_grade_is_what_the_submission_deserves(assignment, student, results):
    _, verdicts = results(assignment)
    verdict = verdicts[student]
    assert verdict.problems == [], f"{student} ({verdict.expectation.description}): {verdict.problems}"
