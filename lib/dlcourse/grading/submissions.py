"""Bringing student notebooks into the course, and saying what is wrong with them.

``collect`` takes a folder or a zip of notebooks named by student id
(``alice.ipynb``) or of folders named by student id (``alice/<anything>.ipynb``)
and files each one as ``course/submitted/<student>/<assignment>/<notebook>.ipynb``,
the layout nbgrader grades. ``inspect`` compares a submission with the release and
lists, one line each, what autograding will have to repair or cannot grade.
"""
from __future__ import annotations

import datetime
import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .course import Assignment, Course, CourseError

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]*$")


@dataclass
class Submission:
    student: str
    notebook: Path
    notes: list[str] = field(default_factory=list)  # one sentence each, for the instructor


def _load_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except UnicodeDecodeError:
        return None, "is not a text file"
    except json.JSONDecodeError as error:
        return None, f"is not valid JSON (line {error.lineno}, column {error.colno})"


def inspect(notebook: Path, release: Path) -> list[str]:
    """What is wrong with a submitted notebook, compared with its release; [] when nothing."""
    data, problem = _load_json(notebook)
    if problem:
        return [f"the notebook {problem}; it cannot be graded until a readable copy is collected"]
    try:
        submitted = nbformat.reads(json.dumps(data), as_version=4)
        nbformat.validate(submitted)
    except Exception as error:  # noqa: BLE001 - any structural fault means it cannot be graded
        return [f"the notebook is not a valid Jupyter notebook ({error.__class__.__name__}); it cannot be graded"]
    released = nbformat.read(release, as_version=4)
    notes = []
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in submitted.cells}
    for cell in released.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("locked") or not meta.get("grade_id"):
            continue
        mine = by_id.get(meta["grade_id"])
        if mine is None:
            notes.append(f"locked cell {meta['grade_id']} was deleted; autograding puts the instructor's version back")
        elif mine.source != cell.source:
            notes.append(f"locked cell {meta['grade_id']} was edited; autograding restores the instructor's version")
    return notes


def _unpack(path: Path, into: Path) -> Path:
    if path.is_dir():
        return path
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            archive.extractall(into)
        entries = [p for p in into.iterdir() if not p.name.startswith(("__MACOSX", "."))]
        # A zip of one folder that wraps the whole class is common: look inside it.
        if len(entries) == 1 and entries[0].is_dir() and len(list(entries[0].iterdir())) > 1:
            return entries[0]
        return into
    raise CourseError(f"{path} is neither a folder nor a zip file; give the folder (or zip) of student notebooks.")


def find_submissions(path: Path, assignment: Assignment, into: Path) -> tuple[list[Submission], list[str]]:
    """Submissions in a folder or zip, and one line per entry that could not be used."""
    root = _unpack(Path(path), into)
    found, skipped = [], []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or entry.name == "__MACOSX":
            continue
        student = entry.stem if entry.is_file() else entry.name
        if entry.is_file() and entry.suffix != ".ipynb":
            skipped.append(f"{entry.name}: not a notebook (.ipynb), skipped")
            continue
        if not STUDENT_ID.match(student):
            skipped.append(f"{entry.name}: {student!r} is not a usable student id (letters, digits, _ . @ -), skipped")
            continue
        if entry.is_file():
            found.append(Submission(student, entry))
            continue
        notebooks = sorted(p for p in entry.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        exact = [p for p in notebooks if p.name == f"{assignment.notebook}.ipynb"]
        if exact:
            found.append(Submission(student, exact[0]))
        elif len(notebooks) == 1:
            found.append(Submission(student, notebooks[0], [
                f"notebook was named {notebooks[0].name!r}; collected as {assignment.notebook}.ipynb"]))
        else:
            names = ", ".join(p.name for p in notebooks) or "no notebook"
            skipped.append(f"{student}: folder holds {names} and none is named {assignment.notebook}.ipynb; "
                           "rename the one to grade and collect again")
    return found, skipped


def collect(course: Course, assignment_name: str, path: Path) -> tuple[list[Submission], list[str]]:
    """File every submission under course/submitted and add unknown students to the gradebook.

    Returns the submissions collected (each with its notes) and the entries skipped.
    All files are staged first, so a failure leaves submitted/ as it was; collected files are
    read-only.
    """
    assignment = course.assignment(assignment_name)
    release = course.release_dir / assignment.name / f"{assignment.notebook}.ipynb"
    if not release.is_file():
        raise CourseError(f"{assignment.name} has no release yet; run `dlcourse release {assignment.name}` first.")
    if not Path(path).exists():
        raise CourseError(f"{path} does not exist; give the folder (or zip) of student notebooks.")
    timestamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    with tempfile.TemporaryDirectory() as scratch:
        submissions, skipped = find_submissions(Path(path), assignment, Path(scratch) / "unpacked")
        staging = Path(scratch) / "staging"
        for submission in submissions:
            submission.notes += inspect(submission.notebook, release)
            target = staging / submission.student / assignment.name
            target.mkdir(parents=True)
            shutil.copyfile(submission.notebook, target / f"{assignment.notebook}.ipynb")
            (target / "timestamp.txt").write_text(timestamp)
        for submission in submissions:
            final = course.submitted_dir / submission.student / assignment.name
            if final.exists():
                shutil.rmtree(final)
            final.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staging / submission.student / assignment.name, final)
            submission.notebook = final / f"{assignment.notebook}.ipynb"
            for item in final.iterdir():  # kept as handed in: grading reads them and works on copies
                item.chmod(0o444)
    with course.gradebook() as gradebook:
        for submission in submissions:
            gradebook.update_or_create_student(submission.student)
    return submissions, skipped
