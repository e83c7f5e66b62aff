"""Autograding a whole class, in parallel, without corrupting the gradebook.

nbgrader grades one submission at a time (its issue 174) and SQLite does not take
concurrent writers. So each worker process grades its share of the class into a
private copy of the gradebook; when all are done, their grades are merged into a copy
of the real gradebook, which then replaces it in one step. A failure anywhere leaves
the gradebook exactly as it was (the gradebook it replaced is kept beside it as
``<name>.last-good``). With a server database (PostgreSQL), which does take concurrent
writers, the workers write to it directly.

Each submission's kernel runs in a sandbox with guarded checks (``executor``), unless the
instructor passes ``sandbox=False``. Students already graded (same submission) are skipped
unless ``force``, so a run that was stopped resumes. One run at a time per course: a second
one refuses, naming the first.
"""
from __future__ import annotations

import datetime
import fcntl
import functools
import os
import re
import shutil
import tempfile
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import nbformat
from nbgrader.api import MissingEntry
from sqlalchemy.exc import SAWarning

from .course import Course, CourseError
from .records import GradedSubmission, one_transaction, read_graded, write_graded
from .scan import scan_answers, summarise
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
        except MissingEntry:  # not recorded yet
            pass
    with tempfile.TemporaryDirectory() as scratch:
        api = course.api(release_directory=scratch)
        result = api.generate_assignment(assignment, force=True, create=True)
    if not result["success"]:
        raise CourseError(f"Could not record {assignment} in the gradebook: {_last_error(result)}")


def _last_error(result: dict) -> str:
    text = (result.get("error") or result.get("log") or "").strip().splitlines()
    return text[-1] if text else "nbgrader gave no reason"


_worker_db_url: str | None = None  # in a worker process: the gradebook it writes into


def _start_worker(db_urls) -> None:
    global _worker_db_url
    _worker_db_url = db_urls.get()


@functools.lru_cache(maxsize=4)
def _api(course_dir: str, db_url: str, sandbox: bool):
    return Course(Path(course_dir)).api(db_url=db_url, sandbox=sandbox)


def _grade_one(course_dir: str, assignment: str, student: str, sandbox: bool,
               db_url: str | None = None) -> tuple[str, bool, str, str, float | None]:
    """Autograde one student into db_url (in a worker: its own gradebook); (student, success, log, url, score)."""
    os.chdir(course_dir)
    url = db_url or _worker_db_url
    with warnings.catch_warnings():
        # nbgrader's gradebook code trips SQLAlchemy's autoflush notice; it is harmless.
        warnings.simplefilter("ignore", SAWarning)
        api = _api(course_dir, url, sandbox)
        result = api.autograde(assignment, student, force=True, create=True)
        score = None
        if result["success"]:
            with api.gradebook as gradebook:
                score = gradebook.find_submission(assignment, student).score
    return student, bool(result["success"]), (result.get("log") or "") + (result.get("error") or ""), url, score


def _read_records(source_url: str, assignment: str, students: list[str]) -> list[GradedSubmission]:
    """The graded submissions of these students in a (worker's private) gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(source_url) as source:
        return [read_graded(source, assignment, student) for student in students]


def merge_records(main_db: Path, records: list[GradedSubmission]) -> None:
    """Write graded submissions into the SQLite gradebook ``main_db`` all at once.

    They are merged into a sibling copy, which then replaces the gradebook: os.replace is
    atomic on one file system, so a failure anywhere leaves the gradebook as it was. The
    gradebook it replaces stays beside it as the last good copy.
    """
    from nbgrader.api import Gradebook

    merged = main_db.with_name(f".{main_db.name}.merging")
    backup = main_db.with_name(f".{main_db.name}.last-good.tmp")
    try:
        shutil.copyfile(main_db, merged)
        with Gradebook(f"sqlite:///{merged}") as target, one_transaction(target):
            for record in records:
                write_graded(target, record)
        shutil.copyfile(main_db, backup)
        os.replace(backup, last_good_copy(main_db))
        os.replace(merged, main_db)
    finally:
        merged.unlink(missing_ok=True)
        backup.unlink(missing_ok=True)


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


def autograde(course: Course, assignment: str, students: list[str] | None = None, jobs: int | None = None,
              sandbox: bool = True, force: bool = False, on_result=None, cluster: str | None = None) -> list[Outcome]:
    """Grade every collected submission of an assignment (or the given students).

    One broken submission never stops the others: each student gets an Outcome whose
    notes say, one sentence each, what went wrong and what was done about it.
    ``on_result(outcome, done, total)`` is called as each student's grade lands.
    With ``cluster``, the address of a Dask scheduler, the submissions are graded on its
    workers (``dlcourse.grading.cluster``) instead of ``jobs`` processes here.
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
    if sandbox and cluster is None:  # a cluster's workers are asked for theirs (cluster.py)
        from .sandbox import unavailable_reason

        reason = unavailable_reason()
        if reason:
            raise CourseError(f"Submissions are graded in a sandbox, and none can be had here: {reason}.")
    with _one_run_at_a_time(course, assignment):
        return _autograde(course, info, students, jobs, sandbox, force, on_result, cluster)


def _autograde(course, info, students, jobs, sandbox, force, on_result, cluster) -> list[Outcome]:
    assignment = info.name
    ensure_in_gradebook(course, assignment)
    release = course.release_dir / assignment / f"{info.notebook}.ipynb"
    outcomes = {s: Outcome(s, graded=False, max_score=info.max_score) for s in students}
    already = set() if force else _already_graded(course, assignment, students)
    gradeable, flagged = [], []  # flagged: answer cells that reach for the grader's machinery
    for student in students:
        if student in already:
            outcomes[student].graded = True
            outcomes[student].notes.append("already graded, skipped (--force grades it again)")
            continue
        notebook = course.submitted_dir / student / assignment / f"{info.notebook}.ipynb"
        notes = inspect(notebook, release) if notebook.is_file() else [f"no {info.notebook}.ipynb in the submission"]
        outcomes[student].notes += notes
        if notebook.is_file() and not any("cannot be graded" in n for n in notes):
            gradeable.append(student)
        if not sandbox:
            outcomes[student].notes.append("graded WITHOUT a sandbox (--no-sandbox): its code ran with your rights")
        if student in gradeable:
            findings = scan_answers(notebook, reference=info.source)
            if findings:
                outcomes[student].notes.append(f"flagged for review: {summarise(findings)}")
                flagged.append(student)

    jobs = max(1, min(jobs or usable_cpus(), len(gradeable) or 1))
    main_db = _sqlite_path(course.db_url)
    done = 0

    def landed(student, success, log, score, note=None):
        nonlocal done
        outcome = outcomes[student]
        outcome.graded, outcome.score = success, score
        outcome.notes += [note] if note else []
        outcome.notes += [sentence for pattern, sentence in _LOG_SENTENCES if pattern.search(log)]
        if success:
            outcome.notes += execution_notes(course.autograded_dir / student / assignment / f"{info.notebook}.ipynb")
        else:
            outcome.notes.append(f"autograding failed: {_last_line(log)}")
        done += 1
        if on_result is not None:
            on_result(outcome, done, len(gradeable))

    if cluster is not None:
        from .cluster import grade_on_cluster

        records = grade_on_cluster(course, info, gradeable, cluster, sandbox, landed)
        if main_db is not None and records:
            merge_records(main_db, records)
    else:
        _grade_here(course, info, gradeable, jobs, sandbox, landed, outcomes)
    _flag(course, assignment, [s for s in gradeable if outcomes[s].graded and (not sandbox or s in flagged)])
    _fill_scores(course, assignment, outcomes)
    return [outcomes[s] for s in students]


def _grade_here(course, info, gradeable, jobs, sandbox, landed, outcomes) -> None:
    """Grade on this machine, ``jobs`` at a time; with SQLite, each job into its own copy of the gradebook."""
    assignment = info.name
    main_db = _sqlite_path(course.db_url)
    with tempfile.TemporaryDirectory() as scratch:
        if main_db is not None:
            urls = [f"sqlite:///{Path(scratch) / f'worker{i}.db'}" for i in range(jobs)]
            for url in urls:
                shutil.copyfile(main_db, _sqlite_path(url))
        else:
            urls = [course.db_url] * jobs
        succeeded: dict[str, list[str]] = {}
        course_dir = str(course.course_dir)
        if jobs == 1:
            for student in gradeable:
                student, success, log, url, score = _grade_one(course_dir, assignment, student, sandbox, urls[0])
                succeeded.setdefault(url, []).extend([student] if success else [])
                landed(student, success, log, score)
        elif gradeable:
            context = get_context("spawn")
            db_urls = context.Queue()
            for url in urls:
                db_urls.put(url)
            with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(db_urls,)) as pool:
                futures = {pool.submit(_grade_one, course_dir, assignment, student, sandbox): student
                           for student in gradeable}
                for future in as_completed(futures):
                    try:
                        student, success, log, url, score = future.result()
                    except BrokenProcessPool:
                        # A grading process was killed (kill -9, the OOM killer): the pool cannot go on.
                        # What landed is kept; the others are left for the next run.
                        if not outcomes[futures[future]].graded:
                            outcomes[futures[future]].notes.append(_STOPPED)
                        continue
                    succeeded.setdefault(url, []).extend([student] if success else [])
                    landed(student, success, log, score)
        if main_db is not None and any(succeeded.values()):
            merge_records(main_db, [record for url, graded in succeeded.items() if graded
                                    for record in _read_records(url, assignment, graded)])


# What a student whose grading process was killed is told; a rerun grades them.
_STOPPED = ("a grading process stopped (killed from outside) before this submission was graded; the grades that "
            "landed are kept: run autograde again to grade the rest")


def execution_notes(autograded: Path) -> list[str]:
    """One sentence per thing the grader did to a notebook while running it (see executor)."""
    from .executor import KERNEL_DIED, TAMPERED

    try:
        nb = nbformat.read(autograded, as_version=4)
    except (OSError, ValueError):
        return []
    notes, died = [], False
    for cell in nb.cells:
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id") or "a cell"
        if any(o.get("ename") == TAMPERED for o in errors):
            notes.append(f"its code changed the checks while {grade_id} ran; that test scores 0")
        if not died and any(o.get("ename") == KERNEL_DIED for o in errors):
            died = True
            notes.append(f"the kernel died at {grade_id}: tests before it kept their points, the rest score 0")
    return notes


def last_good_copy(gradebook: Path) -> Path:
    """Where the gradebook a grading run replaced is kept."""
    return gradebook.with_name(f"{gradebook.name}.last-good")


def _already_graded(course: Course, assignment: str, students: list[str]) -> set[str]:
    """Students whose current submission is in the gradebook, graded: the same timestamp.txt
    in submitted/ and autograded/, and a score."""
    graded = set()
    with course.gradebook() as gradebook:
        for student in students:
            stamps = [folder / student / assignment / "timestamp.txt" for folder in (course.submitted_dir, course.autograded_dir)]
            if not all(p.is_file() for p in stamps) or stamps[0].read_text() != stamps[1].read_text():
                continue
            try:
                submission = gradebook.find_submission(assignment, student)
            except MissingEntry:  # never graded
                continue
            if submission.notebooks and all(g.auto_score is not None for nb in submission.notebooks for g in nb.grades):
                graded.add(student)
    return graded


def _flag(course: Course, assignment: str, students: list[str]) -> None:
    """Mark submissions graded without a sandbox in the gradebook (nbgrader's flag)."""
    with course.gradebook() as gradebook:
        for student in students:
            for notebook in gradebook.find_submission(assignment, student).notebooks:
                notebook.flagged = True
        gradebook.db.commit()


@contextmanager
def _one_run_at_a_time(course: Course, assignment: str):
    """Hold the course's grading lock; refuse in one sentence if another run holds it."""
    course.course_dir.mkdir(parents=True, exist_ok=True)
    path = course.course_dir / ".autograde.lock"
    with open(path, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise CourseError(f"Another autograde is running on this course ({holder}); wait for it to finish "
                              "(or stop it), then run this again.") from None
        lock.seek(0)
        lock.truncate()
        started = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        lock.write(f"pid {os.getpid()}, grading {assignment} since {started}")
        lock.flush()
        try:
            yield
        finally:
            lock.seek(0)
            lock.truncate()
            fcntl.flock(lock, fcntl.LOCK_UN)


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
