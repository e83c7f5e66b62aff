"""`dlcourse autograde --cluster`: grading on the workers of a Dask cluster (a LocalCluster of
two worker processes here; the same code talks to a Kubernetes or Slurm deployment).

Each submission is graded on a worker in the sandbox, exactly as on one machine; a worker that
dies hands its submission to another; with PostgreSQL each submission is written into the
gradebook once per run, whatever dies when."""
import logging
import os
import signal
import threading
import time

import pytest
from distributed import Client, LocalCluster

from dlcourse.grading import Course
from dlcourse.grading.autograde import autograde, last_good_copy
from dlcourse.grading.cli import main
from dlcourse.grading import cluster as cluster_module
from dlcourse.grading.cluster import WRITTEN_BEFORE, ledger_rows, worker_problem
from dlcourse.grading.feedback import grade_rows
from dlcourse.grading.submissions import collect
from postgres_server import create_database, postgres  # noqa: F401 - the fixture, reused
from test_grading import ASSIGNMENT, _inbox
from test_grading import course  # noqa: F401 - the fixture, reused

pytestmark = pytest.mark.slow

WRONG = "def double(x):\n    return x"  # scores 1 of 3: only test_halve passes
# Right only where it can see the worker's scratch course (its gradebook): in the sandbox it cannot.
PEEKING = ("import glob\n\ndef double(x):\n"
           "    return 2 * x if glob.glob('/tmp/dlcourse-cluster-*/course/gradebook.db') else x")
SLOW = "import time\ntime.sleep(12)\n\ndef double(x):\n    return 2 * x"  # right, after a while


def _answer(source):
    return lambda nb: setattr(nb.cells[2], "source", source)


@pytest.fixture
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as local:
        yield local


def _grades(course):
    return sorted((row["student"], row["score"]) for row in grade_rows(course))


def _collect(course, tmp_path, students):
    assert main(["release", ASSIGNMENT]) == 0
    collect(course, ASSIGNMENT, _inbox(course, tmp_path, students))


def test_cluster_grading_gives_what_one_machine_gives_and_merges_into_sqlite(course, cluster, tmp_path,  # noqa: F811
                                                                              capsys):
    _collect(course, tmp_path, {"ann": None, "bo": None, "cy": _answer(WRONG), "dee": _answer(PEEKING)})
    assert main(["autograde", ASSIGNMENT, "--cluster", cluster.scheduler_address, "--progress"]) == 0
    on_cluster = _grades(course)
    assert on_cluster == [("ann", 3.0), ("bo", 3.0), ("cy", 1.0), ("dee", 1.0)]  # dee saw nothing: sandboxed
    out, err = capsys.readouterr()
    assert "graded 4 of 4 submission(s)" in out
    assert "grading t01_double" in err and "4/4" in err  # one bar over every worker's results
    for student in ("ann", "bo", "cy", "dee"):  # the workers' autograded folders, written here
        assert (course.autograded_dir / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
        assert (course.autograded_dir / student / ASSIGNMENT / "timestamp.txt").is_file()
    assert last_good_copy(course.course_dir / "gradebook.db").is_file()  # merged as --jobs merges
    assert main(["feedback", ASSIGNMENT]) == 0

    outcomes = autograde(course, ASSIGNMENT, jobs=1, force=True)
    assert [(o.student, o.score) for o in outcomes] == on_cluster
    again = autograde(course, ASSIGNMENT, cluster=cluster.scheduler_address)
    assert all("already graded, skipped" in " ".join(o.notes) for o in again)


def test_cluster_grading_into_postgresql_writes_each_submission_once_per_run(course, cluster, postgres,  # noqa: F811
                                                                              tmp_path, monkeypatch):
    url = create_database(postgres, "cluster_once")
    monkeypatch.setenv("DLCOURSE_DB_URL", url)
    on_postgres = Course(course.course_dir)
    _collect(on_postgres, tmp_path, {"ann": None, "bo": None, "cy": _answer(WRONG)})
    outcomes = autograde(on_postgres, ASSIGNMENT, cluster=cluster.scheduler_address)
    assert [(o.student, o.score) for o in outcomes] == [("ann", 3.0), ("bo", 3.0), ("cy", 1.0)]
    assert _grades(on_postgres) == [("ann", 3.0), ("bo", 3.0), ("cy", 1.0)]
    workers = set(cluster.scheduler_info["workers"])
    rows = ledger_rows(url, ASSIGNMENT)
    assert [(student, score) for _, student, _, score in rows] == [("ann", 3.0), ("bo", 3.0), ("cy", 1.0)]
    assert len({run for run, *_ in rows}) == 1 and {worker for _, _, worker, _ in rows} <= workers

    autograde(on_postgres, ASSIGNMENT, cluster=cluster.scheduler_address, force=True)
    rows = ledger_rows(url, ASSIGNMENT)
    assert len(rows) == 6 and len({run for run, *_ in rows}) == 2  # a second run, once each again
    assert not (course.course_dir / "gradebook.db").exists()  # nothing went to SQLite


def _executing(dask_worker):
    return [str(task.key) for task in dask_worker.state.executing]


def _worker_running(client, student, seconds=90):
    """The address of the worker executing ``student``'s grading task."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for worker, keys in client.run(_executing).items():
            if any(f"-{student}-" in key for key in keys):
                return worker
        time.sleep(0.2)
    raise AssertionError(f"no worker started grading {student} within {seconds} s")


def test_a_worker_killed_while_grading_hands_its_submission_to_another(course, cluster, postgres,  # noqa: F811
                                                                        tmp_path, monkeypatch):
    url = create_database(postgres, "cluster_kill")
    monkeypatch.setenv("DLCOURSE_DB_URL", url)
    on_postgres = Course(course.course_dir)
    _collect(on_postgres, tmp_path, {"ann": _answer(SLOW), "bo": None, "cy": _answer(WRONG), "dee": None})
    result = {}
    grading = threading.Thread(target=lambda: result.update(
        outcomes=autograde(on_postgres, ASSIGNMENT, cluster=cluster.scheduler_address)))
    grading.start()
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        victim = _worker_running(client, "ann")
        time.sleep(2)  # into ann's twelve-second cell
        os.kill(client.run(os.getpid, workers=[victim])[victim], signal.SIGKILL)
        grading.join(timeout=240)
    assert not grading.is_alive()
    assert [(o.student, o.graded, o.score) for o in result["outcomes"]] == [
        ("ann", True, 3.0), ("bo", True, 3.0), ("cy", True, 1.0), ("dee", True, 3.0)]
    rows = ledger_rows(url, ASSIGNMENT)
    assert [student for _, student, _, _ in rows] == ["ann", "bo", "cy", "dee"]  # once each
    assert dict((student, worker) for _, student, worker, _ in rows)["ann"] != victim
    assert _grades(on_postgres) == [("ann", 3.0), ("bo", 3.0), ("cy", 1.0), ("dee", 3.0)]


def _die_after_writing(student):
    """On a worker: exit at once after writing ``student``'s grades, before answering the scheduler."""
    from dlcourse.grading import cluster as module

    write_once = module.write_once

    def then_die(kit, record, autograded, worker):
        earlier = write_once(kit, record, autograded, worker)
        if record.student == student and earlier is None:
            os._exit(1)
        return earlier

    module.write_once = then_die


def test_a_worker_that_dies_after_writing_is_not_graded_twice(course, cluster, postgres, tmp_path,  # noqa: F811
                                                               monkeypatch):
    url = create_database(postgres, "cluster_twice")
    monkeypatch.setenv("DLCOURSE_DB_URL", url)
    on_postgres = Course(course.course_dir)
    _collect(on_postgres, tmp_path, {"ann": None, "bo": _answer(WRONG), "cy": None})
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        client.run(_die_after_writing, "bo")
    outcomes = {o.student: o for o in autograde(on_postgres, ASSIGNMENT, cluster=cluster.scheduler_address)}
    assert [(s, o.graded, o.score) for s, o in outcomes.items()] == [
        ("ann", True, 3.0), ("bo", True, 1.0), ("cy", True, 3.0)]
    assert WRITTEN_BEFORE in outcomes["bo"].notes
    rows = ledger_rows(url, ASSIGNMENT)
    assert [student for _, student, _, _ in rows] == ["ann", "bo", "cy"]
    bo_writer = dict((student, worker) for _, student, worker, _ in rows)["bo"]
    assert bo_writer not in cluster.scheduler_info["workers"]  # the worker that wrote it is gone
    assert (on_postgres.autograded_dir / "bo" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
    assert _grades(on_postgres) == [("ann", 3.0), ("bo", 1.0), ("cy", 3.0)]


def test_a_scheduler_that_does_not_answer_gets_one_sentence(course, tmp_path, capsys, monkeypatch):  # noqa: F811
    monkeypatch.setattr(cluster_module, "CONNECT_SECONDS", 2)
    _collect(course, tmp_path, {"ann": None})
    capsys.readouterr()
    assert main(["autograde", ASSIGNMENT, "--cluster", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("dlcourse: error: No Dask scheduler answered at "), err
    assert "tcp://127.0.0.1:9" in err and "Traceback" not in err


def test_jobs_and_cluster_together_are_refused(course, capsys):  # noqa: F811
    assert main(["autograde", ASSIGNMENT, "--cluster", "tcp://127.0.0.1:9", "--jobs", "2"]) == 2
    assert "start as many workers as you want jobs" in capsys.readouterr().err


def test_a_worker_without_the_course_kernel_says_so():
    assert worker_problem("no-such-kernel", sandbox=False) == (
        "it has no `no-such-kernel` kernel (install the course's environment there: `make install`)")
    assert worker_problem("dlcourse", sandbox=False) is None
