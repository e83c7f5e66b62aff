"""Grading on many machines: the workers of a Dask distributed cluster.

``dlcourse autograde A --cluster ADDRESS`` grades as on one machine, but each submission is
a task for a worker of the Dask scheduler at ADDRESS: a ``LocalCluster``, a Kubernetes
deployment through dask-kubernetes, or Slurm through dask-jobqueue (course/README.md says
how). A worker needs the course's Python environment (this package, the course kernel) and
bubblewrap, not the course's files: each task carries one student's submitted folder, and
the worker grades it, in the same sandbox as on one machine, inside a scratch copy of the
course that holds only that submission and a gradebook knowing the assignment. It sends
back the autograded folder, which this machine writes into ``course/autograded/``.

Grades. With a SQLite gradebook the worker sends its grades back as a record
(``records.GradedSubmission``) and this machine merges them all at the end, as ``--jobs``
does. With a database server (PostgreSQL) the worker writes its record itself, in one
transaction together with a row of the ledger table, keyed by the run and the student.
A task that runs a second time (its first worker died after writing, before its result
reached the scheduler) finds that row and writes nothing: each submission is graded into
the gradebook at most once per run. The row also keeps the autograded folder until this
machine has written it, so the second attempt sends back the folder the grades came from.

A worker that dies hands its task to another: the scheduler runs the tasks of a lost worker
again elsewhere, up to ``distributed.scheduler.allowed-failures`` times per task (3); a
submission that outlives that many workers is reported not graded, and the others go on.
"""
from __future__ import annotations

import io
import os
import shutil
import tempfile
import threading
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import SAWarning

from .course import Course, CourseError
from .records import GradedSubmission, one_transaction, read_graded, write_graded

LEDGER = "dlcourse_autograde_ledger"
CONNECT_SECONDS = 20  # to reach the scheduler
WORKER_WAIT_SECONDS = 60  # for a first worker to join a scheduler that has none yet
WRITTEN_BEFORE = ("its grading ran again after the worker that wrote its grades died; the grades written the first "
                  "time are kept and were not written twice")

_ONE_AT_A_TIME = threading.Lock()  # grading changes the working directory: one task per worker process


@dataclass(frozen=True)
class Kit:
    """What every task of one grading run shares."""

    run: str  # this run's id, in the ledger
    assignment: str
    config: object  # the course's traitlets Config
    seed_gradebook: bytes  # a SQLite gradebook that knows the assignment (zipped)
    source_files: bytes  # the assignment's files besides its notebook (zipped)
    sandbox: bool
    server_url: str | None  # the gradebook on a database server, which workers write to


@dataclass(frozen=True)
class Graded:
    """A worker's answer for one student."""

    student: str
    success: bool
    log: str
    score: float | None
    autograded: bytes | None  # the autograded folder, zipped
    record: GradedSubmission | None  # grades to merge here (SQLite gradebook only)
    worker: str
    written_before: bool = False  # an earlier attempt of this task had already written its grades


# --- this machine ------------------------------------------------------------------------------

def grade_on_cluster(course: Course, info, students: list[str], address: str, sandbox: bool,
                     landed) -> list[GradedSubmission]:
    """Grade ``students``' submissions of assignment ``info`` on the cluster at ``address``.

    Calls ``landed(student, success, log, score)`` as each lands (after its autograded folder
    is written); returns the records this machine must merge (none with a database server).
    """
    if not students:
        return []
    server_url = None if course.db_url.startswith("sqlite:") else course.db_url
    with _connect(address) as client:
        _check_workers(client, address, course, sandbox)
        if server_url:
            create_ledger(server_url)
        kit = Kit(uuid.uuid4().hex, info.name, course.config, _seed_gradebook(course, info.name),
                  _zip_folder(course.source_dir / info.name, skip=("*.ipynb",)), sandbox, server_url)
        return _run(client, course, kit, students, landed)


def _run(client, course: Course, kit: Kit, students: list[str], landed) -> list[GradedSubmission]:
    from distributed import as_completed

    futures = {}
    for student in students:
        folder = course.submitted_dir / student / kit.assignment
        future = client.submit(grade_task, kit, student, _zip_folder(folder), pure=False,
                               key=f"autograde-{kit.assignment}-{student}-{kit.run[:8]}")
        futures[future] = student
    records = []
    for future in as_completed(list(futures), loop=client.loop):
        student = futures.pop(future)
        try:
            graded = future.result()
        except Exception as error:  # noqa: BLE001 - one student's failure must not stop the class
            landed(student, False, _task_failure(error, client.status), None)
            continue
        finally:
            future.release()
        if graded.autograded is not None:
            write_autograded(course, kit.assignment, student, graded.autograded)
            if kit.server_url and graded.success:
                release_folder(kit.server_url, kit.run, kit.assignment, student)
        if graded.record is not None:
            records.append(graded.record)
        landed(student, graded.success, graded.log, graded.score, WRITTEN_BEFORE if graded.written_before else None)
    return records


def _task_failure(error: Exception, status: str) -> str:
    from distributed import KilledWorker

    if status != "running":
        return ("the connection to the Dask scheduler was lost before this submission was graded; run autograde "
                "again to grade the rest")
    if isinstance(error, KilledWorker):
        return ("its grading task was running on every worker that died during it (the limit is "
                "distributed.scheduler.allowed-failures); grade it alone, or on one machine, to see why")
    return f"the worker could not grade it: {type(error).__name__}: {error}"


def _connect(address: str):
    from distributed import Client

    try:
        return Client(address, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise CourseError(f"No Dask scheduler answered at {address} ({_first_line(error) or type(error).__name__}); "
                          "start one (`dask scheduler`, with workers: `dask worker ADDRESS --nthreads 1`) or "
                          "check the address.") from None


def _check_workers(client, address: str, course: Course, sandbox: bool) -> None:
    """Refuse, in one sentence, a cluster whose workers cannot grade as this machine would."""
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
    except TimeoutError:
        raise CourseError(f"The Dask scheduler at {address} has no workers (none joined within "
                          f"{WORKER_WAIT_SECONDS} s); start some with `dask worker {address} --nthreads 1`.") from None
    kernel = course.config.ExecutePreprocessor.get("kernel_name") or "python3"
    try:
        problems = client.run(worker_problem, kernel, sandbox)
    except Exception as error:  # noqa: BLE001 - e.g. a worker without this package cannot even unpickle it
        raise CourseError(f"The workers at {address} cannot run dlcourse's grading ({_first_line(error)}); give them "
                          "the course's environment (`make install`, or the course's image).") from None
    bad = {worker: problem for worker, problem in problems.items() if problem}
    if bad:
        worker, problem = sorted(bad.items())[0]
        others = f" (and {len(bad) - 1} other worker(s))" if len(bad) > 1 else ""
        raise CourseError(f"Worker {worker}{others} cannot grade: {problem}.")


def create_ledger(server_url: str) -> None:
    """The table in which workers record, with their grades, each submission they wrote."""
    from nbgrader.api import Gradebook
    from sqlalchemy import text

    with Gradebook(server_url) as gradebook:
        gradebook.db.execute(text(
            f"CREATE TABLE IF NOT EXISTS {LEDGER} ("
            "run VARCHAR(32) NOT NULL, assignment VARCHAR(128) NOT NULL, student VARCHAR(128) NOT NULL, "
            "worker VARCHAR(256) NOT NULL, score FLOAT, written_at TIMESTAMP NOT NULL, autograded BYTEA, "
            "PRIMARY KEY (run, assignment, student))"))
        gradebook.db.commit()


def ledger_rows(server_url: str, assignment: str) -> list[tuple[str, str, str, float | None]]:
    """(run, student, worker, score) of every write the ledger records for an assignment."""
    from nbgrader.api import Gradebook
    from sqlalchemy import text

    with Gradebook(server_url) as gradebook:
        return [tuple(row) for row in gradebook.db.execute(
            text(f"SELECT run, student, worker, score FROM {LEDGER} WHERE assignment = :a ORDER BY run, student"),
            {"a": assignment})]


def release_folder(server_url: str, run: str, assignment: str, student: str) -> None:
    """Drop the ledger's copy of an autograded folder once it is written here."""
    from nbgrader.api import Gradebook
    from sqlalchemy import text

    with Gradebook(server_url) as gradebook:
        gradebook.db.execute(text(f"UPDATE {LEDGER} SET autograded = NULL WHERE run = :r AND assignment = :a "
                                  "AND student = :s"), {"r": run, "a": assignment, "s": student})
        gradebook.db.commit()


def write_autograded(course: Course, assignment: str, student: str, folder_zip: bytes) -> None:
    """Put a worker's autograded folder in course/autograded/<student>/<assignment>/, whole.

    It is unpacked beside its place and renamed into it, so a crash leaves the old folder or
    the new one, never half of one."""
    target = course.autograded_dir / student / assignment
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{assignment}.", dir=target.parent))
    try:
        with zipfile.ZipFile(io.BytesIO(folder_zip)) as archive:
            archive.extractall(staging)
        old = target.with_name(f".{assignment}.replaced")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _seed_gradebook(course: Course, assignment: str) -> bytes:
    """A fresh SQLite gradebook with the assignment recorded (what nbgrader needs to autograde)."""
    from .autograde import ensure_in_gradebook

    with tempfile.TemporaryDirectory(prefix="dlcourse-seed-") as scratch:
        seed = Path(scratch) / "gradebook"
        seed.mkdir()
        ensure_in_gradebook(Course(course.course_dir, db_url=f"sqlite:///{seed / 'gradebook.db'}",
                                   config=course.config), assignment)
        return _zip_folder(seed)


def _zip_folder(folder: Path, skip: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                relative = path.relative_to(folder)
                if path.is_file() and not any(relative.match(p) for p in skip) and "__pycache__" not in relative.parts \
                        and ".ipynb_checkpoints" not in relative.parts:
                    archive.write(path, relative.as_posix())
    return buffer.getvalue()


def _unzip(blob: bytes, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        archive.extractall(folder)


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


# --- a worker ----------------------------------------------------------------------------------

def worker_problem(kernel: str, sandbox: bool) -> str | None:
    """On a worker: why it cannot grade (no course kernel, no sandbox), or None."""
    from jupyter_client.kernelspec import find_kernel_specs

    if kernel not in find_kernel_specs():
        return f"it has no `{kernel}` kernel (install the course's environment there: `make install`)"
    if sandbox:
        from .sandbox import unavailable_reason

        return unavailable_reason()
    return None


def grade_task(kit: Kit, student: str, submitted: bytes) -> Graded:
    """On a worker: grade one student's submitted folder (zipped) in a scratch copy of the course."""
    worker = _worker_name()
    with _ONE_AT_A_TIME:
        if kit.server_url:
            earlier = _written(kit, student)
            if earlier is not None:  # an earlier attempt wrote it and then lost its worker
                score, folder = earlier
                return Graded(student, True, "", score, folder, None, worker, written_before=True)
        with tempfile.TemporaryDirectory(prefix="dlcourse-cluster-") as scratch:
            course = _scratch_course(Path(scratch), kit, student, submitted)
            cwd = os.getcwd()
            os.chdir(course.course_dir)  # nbgrader resolves some paths from here
            try:
                with warnings.catch_warnings():
                    # nbgrader's gradebook code trips SQLAlchemy's autoflush notice; it is harmless.
                    warnings.simplefilter("ignore", SAWarning)
                    api = course.api(sandbox=kit.sandbox)
                    result = api.autograde(kit.assignment, student, force=True, create=True)
            finally:
                os.chdir(cwd)
            log = (result.get("log") or "") + (result.get("error") or "")
            folder = course.autograded_dir / student / kit.assignment
            autograded = _zip_folder(folder) if folder.is_dir() else None
            if not result["success"]:
                return Graded(student, False, log, None, autograded, None, worker)
            with course.gradebook() as gradebook:
                record = read_graded(gradebook, kit.assignment, student)
    if kit.server_url is None:
        return Graded(student, True, log, record.score, autograded, record, worker)
    earlier = write_once(kit, record, autograded, worker)
    if earlier is not None:  # another attempt got there first: keep what the gradebook holds
        score, folder = earlier
        return Graded(student, True, log, score, folder, None, worker, written_before=True)
    return Graded(student, True, log, record.score, autograded, None, worker)


def _scratch_course(scratch: Path, kit: Kit, student: str, submitted: bytes) -> Course:
    """A course in ``scratch`` holding the seed gradebook, the assignment's files and one submission."""
    from traitlets.config import Config

    config = Config(kit.config)
    config.CourseDirectory.root = str(scratch)
    _unzip(kit.seed_gradebook, scratch / "course")  # course/ is hidden from the submission, as at home
    config.CourseDirectory.db_url = f"sqlite:///{scratch / 'course' / 'gradebook.db'}"
    course = Course(scratch / "course", config=config)
    _unzip(kit.source_files, course.source_dir / kit.assignment)
    _unzip(submitted, course.submitted_dir / student / kit.assignment)
    return course


def write_once(kit: Kit, record: GradedSubmission, autograded: bytes | None,
               worker: str) -> tuple[float | None, bytes | None] | None:
    """Write ``record`` into the server gradebook with its ledger row, in one transaction.

    Returns None when written; if an earlier attempt of this run had written it, writes
    nothing and returns that attempt's (score, autograded folder)."""
    import datetime

    from nbgrader.api import Gradebook
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    row = {"r": kit.run, "a": kit.assignment, "s": record.student, "w": worker, "score": record.score,
           "t": datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None), "g": autograded}
    try:
        with Gradebook(kit.server_url) as gradebook, one_transaction(gradebook) as session:
            # The key (run, assignment, student) admits one row: a second attempt waits here for
            # the first one's transaction and then fails, writing nothing.
            session.execute(text(f"INSERT INTO {LEDGER} (run, assignment, student, worker, score, written_at, "
                                 "autograded) VALUES (:r, :a, :s, :w, :score, :t, :g)"), row)
            write_graded(gradebook, record)
    except IntegrityError:
        return _written(kit, record.student)
    return None


def _written(kit: Kit, student: str) -> tuple[float | None, bytes | None] | None:
    from nbgrader.api import Gradebook
    from sqlalchemy import text

    with Gradebook(kit.server_url) as gradebook:
        row = gradebook.db.execute(text(f"SELECT score, autograded FROM {LEDGER} WHERE run = :r AND assignment = :a "
                                        "AND student = :s"), {"r": kit.run, "a": kit.assignment, "s": student}).first()
    return None if row is None else (row[0], bytes(row[1]) if row[1] is not None else None)


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return f"pid {os.getpid()}"
