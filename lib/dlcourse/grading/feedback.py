"""Feedback for students and grades for the instructor, from the gradebook."""
from __future__ import annotations

from pathlib import Path

from .course import Course, CourseError, dotted_name


def feedback(course: Course, assignment: str) -> tuple[int, list[str]]:
    """Write feedback HTML for each autograded student; (how many written, one line per failure).

    The feedback shows each test cell's visible tests and outcome, never its hidden tests
    (see dlcourse.grading.hide_hidden).
    """
    info = course.assignment(assignment)
    folder = course.autograded_dir
    students = sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir()) if folder.is_dir() else []
    if not students:
        raise CourseError(f"No autograded submissions of {assignment}; run `dlcourse autograde {assignment}` first.")
    api = _api_hiding_hidden_tests(course, info.source)
    failures = []
    for student in students:
        result = api.generate_feedback(assignment, student, force=True)
        if not result["success"]:
            lines = (result.get("error") or result.get("log") or "").strip().splitlines()
            failures.append(f"{student}: no feedback written ({lines[-1] if lines else 'no reason given'})")
    return len(students) - len(failures), failures


def _api_hiding_hidden_tests(course: Course, source: Path):
    """course.api() whose feedback runs HideHiddenTests before nbgrader's own preprocessors."""
    from nbgrader.converters import GenerateFeedback
    from traitlets.config import Config

    from .hide_hidden import HideHiddenTests

    api = course.api()
    steps = api.config.GenerateFeedback.get("preprocessors") or GenerateFeedback.class_traits()["preprocessors"].default()
    extra = Config()
    # First, so that no later step (nor the HTML exporter) ever sees a hidden line.
    hide = dotted_name(HideHiddenTests)
    extra.GenerateFeedback.preprocessors = [hide, *(s for s in steps if dotted_name(s) != hide)]
    extra.HideHiddenTests.instructor_notebooks = [str(source)]
    api.update_config(extra)
    return api


def grade_rows(course: Course) -> list[dict]:
    """One row per student per assignment they submitted: score and maximum."""
    rows = []
    with course.gradebook() as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                rows.append({"student": submission.student.id, "assignment": assignment.name,
                             "score": submission.score, "max_score": submission.max_score})
    return sorted(rows, key=lambda r: (r["student"], r["assignment"]))


def export_csv(course: Course, path: Path) -> None:
    """nbgrader's CSV export (assignment, duedate, timestamp, student_id, ..., score, max_score)."""
    from nbgrader.plugins.export import CsvExportPlugin

    with course.gradebook() as gradebook:
        CsvExportPlugin(to=str(path)).export(gradebook)
