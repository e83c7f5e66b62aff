"""Autograding a whole class, in parallel, without corrupting the gradebook.

nbgrader grades one submission at a time (its issue 174) and SQLite does not take
concurrent writers. So each worker process grades its share of the class into a
private copy of the gradebook; when all are done, their grades are merged into a copy
of the real gradebook, which then replaces it in one step. A failure anywhere leaves
the gradebook exactly as it was. With a server database (PostgreSQL), which does take
concurrent writers, the workers write to it directly.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from sqlalchemy.exc import SAWarning

from .course import Course, CourseError
from .submissions import inspect


@dataclass
class Outcome:
    """How one student's submission fared."""

    student: str
    graded: bool
    score: float | None = None
    max_score: float | None = None
    notes: list[str] = field(default_factory=list)


# nbgrader's log lines that an instructor needs to see, turned into a sentence each.
_LOG_SENTENCES = [
    (re.compile(r"(Timeout|timed out|TimeoutError)", re.I), "a cell ran longer than the time limit and was interrupted; that part scores 0"),
    (re.compile(r"Kernel died|DeadKernelError|UnresponsiveKernel", re.I), "the kernel died while grading and nbgrader could not finish the notebook, so it has no score; ask the student for a version that runs"),
]


def _sqlite_path(db_url: str) -> Path | None:
    return Path(db_url[len("sqlite:///"):]) if db_url.startswith("sqlite:///") else None


def ensure_in_gradebook(course: Course, assignment: str) -> None:
    """Record the assignment's cells in the gradebook (nbgrader needs them to autograde).

    Generating into a scratch folder leaves the committed release untouched.
    """
    with course.gradebook() as gradebook:
        try:
            known = gradebook.find_assignment(assignment)
            if known.notebooks and known.notebooks[0].grade_cells:
                return
        except Exception:  # noqa: BLE001 - MissingEntry: not recorded yet
            pass
    with tempfile.TemporaryDirectory() as scratch:
        api = course.api(release_directory=scratch)
        result = api.generate_assignment(assignment, force=True, create=True)
    if not result["success"]:
        raise CourseError(f"Could not record {assignment} in the gradebook: {_last_error(result)}")


def _last_error(result: dict) -> str:
    text = (result.get("error") or result.get("log") or "").strip().splitlines()
    return text[-1] if text else "nbgrader gave no reason"


def _grade_share(course_dir: str, assignment: str, students: list[str], db_url: str) -> list[tuple[str, bool, str]]:
    """Worker: autograde these students into db_url; (student, success, log) each."""
    os.chdir(course_dir)
    course = Course(Path(course_dir))
    api = course.api(db_url=db_url)
    results = []
    for student in students:
        with warnings.catch_warnings():
            # nbgrader's gradebook code trips SQLAlchemy's autoflush notice; it is harmless.
            warnings.simplefilter("ignore", SAWarning)
            result = api.autograde(assignment, student, force=True, create=True)
        results.append((student, bool(result["success"]), (result.get("log") or "") + (result.get("error") or "")))
    return results


def _merge(source_url: str, target_url: str, assignment: str, students: list[str]) -> None:
    """Copy the autograded submissions of these students from one gradebook into another."""
    from nbgrader.api import Gradebook

    with Gradebook(source_url) as source, Gradebook(target_url) as target, warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        for student in students:
            submitted = source.find_submission(assignment, student)
            person = source.find_student(student)
            target.update_or_create_student(student, first_name=person.first_name, last_name=person.last_name,
                                            email=person.email)
            target.update_or_create_submission(assignment, student, timestamp=submitted.timestamp)
            for notebook in submitted.notebooks:
                mine = target.find_submission_notebook(notebook.name, assignment, student)
                mine.flagged = notebook.flagged
                for grade in notebook.grades:
                    copy = target.find_grade(grade.name, notebook.name, assignment, student)
                    copy.auto_score, copy.needs_manual_grade = grade.auto_score, grade.needs_manual_grade
                for comment in notebook.comments:
                    target.find_comment(comment.name, notebook.name, assignment, student).auto_comment = comment.auto_comment
            target.db.commit()


def usable_cpus(cgroup_root: Path = Path("/sys/fs/cgroup")) -> int:
    """The CPUs this process may use: those it is pinned to, fewer if its cgroup has a CPU quota.

    ``os.cpu_count()`` counts the host's CPUs; a container or CI job limited to 2 of a
    64-CPU host would start 64 graders and time them all out.
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    quota = None
    try:  # cgroup v2: "max 100000" or "200000 100000"
        limit, period = (cgroup_root / "cpu.max").read_text().split()[:2]
        quota = None if limit == "max" else int(limit) / int(period)
    except (OSError, ValueError):
        try:  # cgroup v1: a quota of -1 means none
            limit = int((cgroup_root / "cpu" / "cpu.cfs_quota_us").read_text())
            period = int((cgroup_root / "cpu" / "cpu.cfs_period_us").read_text())
            quota = limit / period if limit > 0 and period > 0 else None
        except (OSError, ValueError):
            pass
    if quota is not None:
        cpus = min(cpus, max(1, int(quota)))
    return max(1, cpus)


def autograde(course: Course, assignment: str, students: list[str] | None = None, jobs: int | None = None) -> list[Outcome]:
    """Grade every collected submission of an assignment (or the given students).

    One broken submission never stops the others: each student gets an Outcome whose
    notes say, one sentence each, what went wrong and what was done about it.
    """
    info = course.assignment(assignment)
    submitted = course.submitted_dir
    available = sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir()) if submitted.is_dir() else []
    if students is None:
        students = available
    missing = sorted(set(students) - set(available))
    if missing:
        raise CourseError(f"No collected submission of {assignment} for {', '.join(missing)}; run `dlcourse collect` first.")
    if not students:
        raise CourseError(f"No submissions of {assignment} collected yet; run `dlcourse collect {assignment} PATH` first.")
    ensure_in_gradebook(course, assignment)

    release = course.release_dir / assignment / f"{info.notebook}.ipynb"
    outcomes = {s: Outcome(s, graded=False, max_score=info.max_score) for s in students}
    gradeable = []
    for student in students:
        notebook = submitted / student / assignment / f"{info.notebook}.ipynb"
        notes = inspect(notebook, release) if notebook.is_file() else [f"no {info.notebook}.ipynb in the submission"]
        outcomes[student].notes += notes
        if notebook.is_file() and not any("cannot be graded" in n for n in notes):
            gradeable.append(student)

    jobs = max(1, min(jobs or usable_cpus(), len(gradeable) or 1))
    shares = [gradeable[i::jobs] for i in range(jobs) if gradeable[i::jobs]]
    main_db = _sqlite_path(course.db_url)
    with tempfile.TemporaryDirectory() as scratch:
        if main_db is not None:
            urls = [f"sqlite:///{Path(scratch) / f'worker{i}.db'}" for i in range(len(shares))]
            for url in urls:
                shutil.copyfile(main_db, _sqlite_path(url))
        else:
            urls = [course.db_url] * len(shares)
        results = []
        if len(shares) == 1:
            results.append(_grade_share(str(course.course_dir), assignment, shares[0], urls[0]))
        elif shares:
            with ProcessPoolExecutor(len(shares), mp_context=get_context("spawn")) as pool:
                futures = [pool.submit(_grade_share, str(course.course_dir), assignment, share, url)
                           for share, url in zip(shares, urls)]
                results = [f.result() for f in futures]
        succeeded = {}
        for url, share_results in zip(urls, results):
            for student, success, log in share_results:
                outcome = outcomes[student]
                outcome.graded = success
                outcome.notes += [sentence for pattern, sentence in _LOG_SENTENCES if pattern.search(log)]
                if success:
                    succeeded.setdefault(url, []).append(student)
                else:
                    outcome.notes.append(f"autograding failed: {_last_line(log)}")
        if main_db is not None and succeeded:
            # Merge into a sibling copy, then swap it in: os.replace is atomic on one file system.
            merged = main_db.with_name(f".{main_db.name}.merging")
            try:
                shutil.copyfile(main_db, merged)
                for url, graded in succeeded.items():
                    _merge(url, f"sqlite:///{merged}", assignment, graded)
                os.replace(merged, main_db)
            finally:
                merged.unlink(missing_ok=True)
    _fill_scores(course, assignment, outcomes)
    return [outcomes[s] for s in students]


def _last_line(log: str) -> str:
    lines = [line for line in log.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "nbgrader gave no reason"


def _fill_scores(course: Course, assignment: str, outcomes: dict[str, Outcome]) -> None:
    with course.gradebook() as gradebook:
        for outcome in outcomes.values():
            if outcome.graded:
                submission = gradebook.find_submission(assignment, outcome.student)
                outcome.score, outcome.max_score = submission.score, submission.max_score


def part_scores(course: Course, assignment: str, student: str) -> dict[str, float]:
    """grade_id -> points the student scored, from the gradebook."""
    with course.gradebook() as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return {grade.name: grade.score for notebook in submission.notebooks for grade in notebook.grades}
