"""Every assignment's grader is proven, with no test edits when an assignment is added:
the committed release is what nbgrader generates from the source (drift), the solution
gets full marks, the untouched release zero, every mutant loses marks on the function it
broke, and damaged submissions are graded as far as possible and reported."""
from pathlib import Path

import pytest

from dlcourse.grading import Course
from dlcourse.grading.verify import check, convention_problems, submission_names

REPO = Path(__file__).resolve().parent.parent
COURSE = Course(REPO / "course")
MUTANTS = COURSE.course_dir / "mutants"
ASSIGNMENTS = COURSE.assignments()


def _tests_of(assignment):
    """The proof of one assignment, as a test class: with `--dist loadscope` each class is one
    unit of work, so the assignments are graded on different workers side by side."""
    students = submission_names(assignment, MUTANTS)

    @pytest.mark.slow  # grades every submission of the assignment
    class Proof:
        @pytest.fixture(scope="class")
        @classmethod
        def results(cls):
            """(drift problems, {student: verdict}), graded once for the class."""
            ((_, drift, verdicts),) = list(check(COURSE, [assignment.name], MUTANTS, jobs=None))
            return drift, {v.expectation.student: v for v in verdicts}

        def test_assignment_follows_the_conventions(self):
            assert convention_problems(assignment, MUTANTS) == []

        def test_committed_release_matches_a_fresh_one(self, results):
            drift, _ = results
            assert drift == []

        @pytest.mark.parametrize("student", students)
        def test_grade_is_what_the_submission_deserves(self, student, results):
            _, verdicts = results
            verdict = verdicts[student]
            assert verdict.problems == [], f"{student} ({verdict.expectation.description}): {verdict.problems}"

    Proof.__name__ = Proof.__qualname__ = f"TestAssignment_{assignment.name}"
    return Proof


def test_the_course_has_assignments_to_prove():
    # without this, a course whose assignments are not found would collect no proof and pass
    assert ASSIGNMENTS, f"no assignment found in {COURSE.source_dir}; the proof would check nothing"


for _assignment in ASSIGNMENTS:
    globals()[f"TestAssignment_{_assignment.name}"] = _tests_of(_assignment)
