"""The gradebook on a live PostgreSQL server the tests start themselves (tests/postgres_server.py):
grading into it gives exactly the grades the SQLite gradebook gets, a grading process killed
mid-run loses nothing that was written, and a server that refuses gets one sentence."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from nbgrader.api import Gradebook, MissingEntry

from dlcourse.grading import Course
from dlcourse.grading.cli import main
from dlcourse.grading.course import gradebook_url
from dlcourse.grading.feedback import grade_rows
from dlcourse.grading.submissions import collect
from postgres_server import create_database, postgres, running_postgres  # noqa: F401 - the fixture, reused
from test_grading import ASSIGNMENT, _inbox
from test_grading import course  # noqa: F401 - the fixture, reused

pytestmark = pytest.mark.slow
SLOW = "import time\ntime.sleep(20)\n\ndef double(x):\n    return 2 * x"  # right, after a while


def _grades(course):
    return sorted((row["student"], row["assignment"], row["score"], row["max_score"]) for row in grade_rows(course))


def test_parallel_grading_into_postgresql_gives_the_grades_sqlite_gives(course, postgres, tmp_path, monkeypatch):  # noqa: F811
    students = {"ann": None, "bo": None, "cy": lambda nb: setattr(nb.cells[2], "source", "def double(x):\n    return x")}
    assert main(["release", ASSIGNMENT]) == 0
    collect(course, ASSIGNMENT, _inbox(course, tmp_path, students))
    assert main(["autograde", ASSIGNMENT, "--jobs", "2"]) == 0
    on_sqlite = _grades(course)

    url = create_database(postgres, "parallel")
    monkeypatch.setenv("DLCOURSE_DB_URL", url)
    on_postgres = Course(course.course_dir)
    assert on_postgres.db_url == url
    assert main(["release", ASSIGNMENT]) == 0
    assert main(["autograde", ASSIGNMENT, "--jobs", "2", "--force"]) == 0
    assert _grades(on_postgres) == on_sqlite
    assert [g[2] for g in on_sqlite] == [3.0, 3.0, 1.0]


def test_a_wrong_password_gets_one_sentence(course, tmp_path, monkeypatch, capsys):  # noqa: F811
    with running_postgres(password="right") as folder:
        url = create_database(folder, "guarded", password="right")
        monkeypatch.setenv("DLCOURSE_DB_URL", url.replace(":right@", ":wrong@"))
        assert main(["grades"]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert "the server refused the user name or password: correct them in DLCOURSE_DB_URL" in err
    assert "wrong" not in err and "grader:***@/guarded" in err  # names the database, never the secret


def test_a_server_that_is_down_gets_one_sentence(course, tmp_path, monkeypatch, capsys):  # noqa: F811
    with running_postgres() as folder:
        url = create_database(folder, "gone")
    monkeypatch.setenv("DLCOURSE_DB_URL", url)  # the server has stopped and its folder is gone
    assert main(["grades"]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert "no server answered there: start it, or correct the host in DLCOURSE_DB_URL" in err


def _scores(url, students):
    """student -> score of those whose grades are in the gradebook."""
    scores = {}
    with Gradebook(url) as gradebook:
        for student in students:
            try:
                submission = gradebook.find_submission(ASSIGNMENT, student)
            except MissingEntry:
                continue
            if submission.notebooks and all(g.auto_score is not None for nb in submission.notebooks for g in nb.grades):
                scores[student] = submission.score
    return scores


def _graders(pid):
    """The pool processes under `pid` that are running a sandboxed kernel."""
    try:
        return [p for p in psutil.Process(pid).children() if any(
            "bwrap" in c.name() for c in p.children(recursive=True))]
    except psutil.NoSuchProcess:  # a kernel or pool process ended while we looked
        return []


def test_a_grading_process_killed_mid_run_loses_nothing_written_and_a_rerun_completes(  # noqa: F811
        course, postgres, tmp_path):
    url = create_database(postgres, "killed")
    slow = lambda nb: setattr(nb.cells[2], "source", SLOW)  # noqa: E731
    students = {"ann": None, "bo": None, "cy": slow, "dee": slow}
    assert main(["release", ASSIGNMENT]) == 0
    collect(course, ASSIGNMENT, _inbox(course, tmp_path, students))
    env = {**os.environ, "DLCOURSE_DB_URL": url, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    run = subprocess.Popen([sys.executable, "-m", "dlcourse.grading.cli", "autograde", ASSIGNMENT, "--jobs", "2"],
                           cwd=course.course_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        # Wait for the moment the two quick students are written and a slow one's kernel is running
        # (on a loaded machine the next kernel can take seconds to start after the last write).
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            written, graders = _scores(url, students), _graders(run.pid)
            if set(written) == {"ann", "bo"} and graders:
                break
            time.sleep(0.3)
        assert set(written) == {"ann", "bo"}, written
        assert graders, "no grading process was running a kernel"
        os.kill(graders[0].pid, signal.SIGKILL)
        out, _ = run.communicate(timeout=120)
    finally:
        run.kill()
    assert run.returncode == 1, out
    assert "Traceback" not in out and "a grading process stopped (killed from outside)" in out, out
    assert _scores(url, students) == written  # nothing that was written is lost or changed

    rerun = subprocess.run([sys.executable, "-m", "dlcourse.grading.cli", "autograde", ASSIGNMENT, "--jobs", "2"],
                           cwd=course.course_dir, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert rerun.stdout.count("already graded, skipped") == 2, rerun.stdout
    assert _scores(url, students) == {"ann": 3.0, "bo": 3.0, "cy": 3.0, "dee": 3.0}


def test_a_postgresql_url_without_a_driver_uses_psycopg_3(course, monkeypatch):  # noqa: F811
    assert gradebook_url("postgresql://grader:pw@db.example.edu/dlcourse") == (
        "postgresql+psycopg://grader:pw@db.example.edu/dlcourse")
    assert gradebook_url("postgres://grader@/dlcourse?host=/run") == "postgresql+psycopg://grader@/dlcourse?host=/run"
    assert gradebook_url("sqlite:////x/gradebook.db") == "sqlite:////x/gradebook.db"
    monkeypatch.setenv("DLCOURSE_DB_URL", "postgresql://grader@/dlcourse?host=/run")
    configured = Course(course.course_dir)
    assert configured.db_url == configured.config.CourseDirectory.db_url == "postgresql+psycopg://grader@/dlcourse?host=/run"
