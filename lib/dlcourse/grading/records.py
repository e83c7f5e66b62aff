"""A graded submission as plain data, carried from the gradebook it was graded into to the course's.

Parallel and cluster grading grade each submission into a private SQLite gradebook (nbgrader
grades one submission at a time and commits as it goes), then copy what it scored into the
course's gradebook: on one machine by merging the private copies, on a cluster by sending
the record back to the instructor's machine or, with PostgreSQL, by writing it in one
transaction from the worker.
"""
from __future__ import annotations

import datetime
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.exc import SAWarning


@dataclass(frozen=True)
class GradedNotebook:
    """One notebook of a graded submission: (grade_id, auto_score, needs_manual_grade) per test
    cell and (cell name, auto_comment) per solution cell."""

    name: str
    flagged: bool
    grades: tuple[tuple[str, float | None, bool], ...]
    comments: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class GradedSubmission:
    """What a student's submission of an assignment scored, as nbgrader's gradebook holds it."""

    assignment: str
    student: str
    first_name: str | None
    last_name: str | None
    email: str | None
    timestamp: datetime.datetime | None
    notebooks: tuple[GradedNotebook, ...]

    @property
    def score(self) -> float:
        return sum(score or 0.0 for notebook in self.notebooks for _, score, _ in notebook.grades)


def read_graded(gradebook, assignment: str, student: str) -> GradedSubmission:
    """The graded submission of ``student`` from an open nbgrader Gradebook."""
    submitted = gradebook.find_submission(assignment, student)
    person = gradebook.find_student(student)
    notebooks = tuple(
        GradedNotebook(notebook.name, bool(notebook.flagged),
                       tuple((g.name, g.auto_score, bool(g.needs_manual_grade)) for g in notebook.grades),
                       tuple((c.name, c.auto_comment) for c in notebook.comments))
        for notebook in submitted.notebooks)
    return GradedSubmission(assignment, student, person.first_name, person.last_name, person.email,
                            submitted.timestamp, notebooks)


def write_graded(gradebook, graded: GradedSubmission) -> None:
    """Record ``graded`` in an open Gradebook whose assignment is recorded, replacing any earlier
    grading of the same submission. Commits as nbgrader does, once per step; wrap it in
    ``one_transaction`` to make it all or nothing."""
    with warnings.catch_warnings():
        # nbgrader's gradebook code trips SQLAlchemy's autoflush notice; it is harmless.
        warnings.simplefilter("ignore", SAWarning)
        gradebook.update_or_create_student(graded.student, first_name=graded.first_name,
                                           last_name=graded.last_name, email=graded.email)
        gradebook.update_or_create_submission(graded.assignment, graded.student, timestamp=graded.timestamp)
        for notebook in graded.notebooks:
            mine = gradebook.find_submission_notebook(notebook.name, graded.assignment, graded.student)
            mine.flagged = notebook.flagged
            for name, score, manual in notebook.grades:
                grade = gradebook.find_grade(name, notebook.name, graded.assignment, graded.student)
                grade.auto_score, grade.needs_manual_grade = score, manual
            for name, text in notebook.comments:
                gradebook.find_comment(name, notebook.name, graded.assignment, graded.student).auto_comment = text
        gradebook.db.commit()


@contextmanager
def one_transaction(gradebook):
    """Make everything done through ``gradebook`` inside the block one database transaction.

    nbgrader's helpers commit after each step; here a commit only flushes, and the block ends
    in one real commit, or a rollback if it raises. Another connection sees all or nothing.
    """
    session = gradebook.db
    session.commit = session.flush  # an instance attribute shadows the method
    try:
        yield session
    except BaseException:
        del session.commit
        session.rollback()
        raise
    del session.commit
    session.commit()
