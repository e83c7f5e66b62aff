"""The gradebook on a live PostgreSQL server the tests start themselves (tests/postgres_server.py):
grading into it gives exactly the grades the SQLite gradebook gets."""
import pytest

from dlcourse.grading import Course
from dlcourse.grading.cli import main
from dlcourse.grading.feedback import grade_rows
from dlcourse.grading.submissions import collect
from postgres_server import create_database, running_postgres
from test_grading import ASSIGNMENT, _inbox
from test_grading import course  # noqa: F401 - the fixture, reused

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def postgres():
    with running_postgres() as folder:
        yield folder


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
    assert "password" in err and "wrong" not in err  # says what failed, never echoes the secret


def test_a_server_that_is_down_gets_one_sentence(course, tmp_path, monkeypatch, capsys):  # noqa: F811
    with running_postgres() as folder:
        url = create_database(folder, "gone")
    monkeypatch.setenv("DLCOURSE_DB_URL", url)  # the server has stopped and its folder is gone
    assert main(["grades"]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert "check that the server runs" in err
