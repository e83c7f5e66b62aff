"""The `dlcourse` instructor CLI on a tiny course built in a temporary folder."""
import csv
import os
import subprocess
import sys
import time
import json
import zipfile
from pathlib import Path

import nbformat
import pytest

from dlcourse.grading import Course, CourseError
from dlcourse.grading import autograde as autograde_module
from dlcourse.grading.autograde import autograde, part_scores
from dlcourse.grading.cli import main
from dlcourse.grading.submissions import collect

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENT = "t01_double"
pytestmark = pytest.mark.slow  # runs nbgrader and kernels


def _meta(grade_id, **kwargs):
    base = {"grade": False, "grade_id": grade_id, "locked": False, "schema_version": 3, "solution": False, "task": False}
    return {"nbgrader": {**base, **kwargs}}


def _source_notebook():
    cells = [
        nbformat.v4.new_markdown_cell("# t01: doubling\n\n| part | points |\n|---|---|\n| double | 2 |\n| halve | 1 |",
                                      metadata=_meta("header", locked=True)),
        nbformat.v4.new_code_cell("from dlcourse import checks", metadata=_meta("setup", locked=True)),
        nbformat.v4.new_code_cell('def double(x):\n    """Return 2 x."""\n    ### BEGIN SOLUTION\n    return 2 * x\n'
                                  "    ### END SOLUTION", metadata=_meta("double", solution=True)),
        nbformat.v4.new_code_cell('checks.check_equal(double(2), 4, "double(2)")\n### BEGIN HIDDEN TESTS\n'
                                  'checks.check_equal(double(-3), -6, "double(-3)")\n### END HIDDEN TESTS',
                                  metadata=_meta("test_double", grade=True, locked=True, points=2)),
        nbformat.v4.new_code_cell('def halve(x):\n    """Return x / 2."""\n    ### BEGIN SOLUTION\n    return x / 2\n'
                                  "    ### END SOLUTION", metadata=_meta("halve", solution=True)),
        nbformat.v4.new_code_cell('checks.check_close(halve(3), 1.5, "halve(3)")',
                                  metadata=_meta("test_halve", grade=True, locked=True, points=1)),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "dlcourse", "display_name": "Python 3 (dlcourse)", "language": "python"}
    return nb


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A course like the repository's: course/nbgrader_config.py, solutions/, assignments/."""
    monkeypatch.delenv("DLCOURSE_DB_URL", raising=False)
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "nbgrader_config.py").write_text((REPO / "course" / "nbgrader_config.py").read_text())
    source = tmp_path / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    source.parent.mkdir(parents=True)
    nbformat.write(_source_notebook(), source)
    monkeypatch.chdir(tmp_path / "course")
    return Course(tmp_path / "course")


def _student_copy(course, edit=None):
    nb = nbformat.read(course.release_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    solution = nbformat.read(course.source_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    for mine, theirs in zip(nb.cells, solution.cells):
        if mine.metadata["nbgrader"].get("solution"):
            mine.source = "\n".join(line for line in theirs.source.split("\n") if "### " not in line)
    if edit:
        edit(nb)
    return nb


@pytest.fixture
def released(course, capsys):
    assert main(["release", ASSIGNMENT]) == 0
    capsys.readouterr()
    return course


def test_list_shows_parts_and_points(course, capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "t01_double  (3 points)" in out and "test_double" in out and "test_halve" in out


def test_unknown_assignment_is_named_with_the_ones_that_exist(course, capsys):
    assert main(["release", "t99"]) == 2
    assert "There is no assignment 't99'; the course has: t01_double." in capsys.readouterr().err


def test_release_writes_stubs_that_name_the_function(released):
    release = nbformat.read(released.release_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    sources = "\n".join(c.source for c in release.cells)
    assert 'raise NotImplementedError("Implement double(x) as its docstring describes' in sources
    assert "return 2 * x" not in sources and "double(-3)" not in sources  # solution and hidden test gone


def test_release_refuses_a_source_whose_tests_fail(course, capsys):
    source = course.source_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(source, as_version=4)
    nb.cells[2].source = nb.cells[2].source.replace("return 2 * x", "return 3 * x")
    nbformat.write(nb, source)
    assert main(["release", ASSIGNMENT]) == 1
    out = capsys.readouterr().out
    assert "not released" in out and "assignments/ was left as it was" in out
    assert not (course.release_dir / ASSIGNMENT).exists()


def test_collect_before_release_says_to_release(course):
    with pytest.raises(CourseError, match="run `dlcourse release t01_double` first"):
        collect(course, ASSIGNMENT, course.root)


def test_collect_reads_a_zip_of_notebooks_and_folders_and_reports_each_problem(released, tmp_path):
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("alice.ipynb", nbformat.writes(_student_copy(released)))
        z.writestr("bob/my attempt.ipynb", nbformat.writes(_student_copy(released)))
        z.writestr("carol.ipynb", "{ not json")
        z.writestr("bad id!.ipynb", "{}")
        z.writestr("notes.txt", "hello")
    submissions, skipped = collect(released, ASSIGNMENT, archive)
    by_student = {s.student: s for s in submissions}
    assert sorted(by_student) == ["alice", "bob", "carol"]
    assert by_student["alice"].notes == []
    assert "collected as t01_double.ipynb" in by_student["bob"].notes[0]
    assert "is not valid JSON" in by_student["carol"].notes[0]
    assert any("not a usable student id" in line for line in skipped)
    assert any("notes.txt: not a notebook" in line for line in skipped)
    assert (released.submitted_dir / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
    with released.gradebook() as gradebook:
        assert sorted(s.id for s in gradebook.students) == ["alice", "bob", "carol"]


def test_autograde_in_parallel_grades_everyone_and_reports_broken_ones(released, tmp_path):
    def wrong_double(nb):
        nb.cells[2].source = 'def double(x):\n    """Return 2 x."""\n    return x + 2'

    def edited_test(nb):
        nb.cells[5].source = "pass"

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for student, edit in [("good", None), ("wrong", wrong_double), ("cheat", edited_test)]:
        nbformat.write(_student_copy(released, edit), inbox / f"{student}.ipynb")
    (inbox / "broken.ipynb").write_text("{ not json")
    collect(released, ASSIGNMENT, inbox)
    outcomes = {o.student: o for o in autograde(released, ASSIGNMENT, jobs=2)}
    assert outcomes["good"].score == 3 and outcomes["good"].max_score == 3
    # double(2) == 4 happens to hold for x + 2; the hidden test catches it.
    assert outcomes["wrong"].score == 1 and part_scores(released, ASSIGNMENT, "wrong")["test_double"] == 0
    assert outcomes["cheat"].score == 3 and "locked cell test_halve was edited" in outcomes["cheat"].notes[0]
    assert not outcomes["broken"].graded and "not valid JSON" in outcomes["broken"].notes[0]


def test_autograde_failure_leaves_the_gradebook_untouched(released, tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for student in ("ann", "ben"):
        nbformat.write(_student_copy(released), inbox / f"{student}.ipynb")
    collect(released, ASSIGNMENT, inbox)
    db = Path(released.db_url[len("sqlite:///"):])
    before = db.read_bytes()

    def merge_then_fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(autograde_module, "write_graded", merge_then_fail)  # fails in the merge, mid-way
    with pytest.raises(RuntimeError, match="disk full"):
        autograde(released, ASSIGNMENT, jobs=1)
    assert db.read_bytes() == before
    assert not db.with_name(f".{db.name}.merging").exists()


def test_feedback_and_grades_csv_after_autograde(released, tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    nbformat.write(_student_copy(released), inbox / "dora.ipynb")
    assert main(["collect", ASSIGNMENT, str(inbox)]) == 0
    assert main(["autograde", ASSIGNMENT, "--jobs", "1"]) == 0
    assert main(["feedback", ASSIGNMENT]) == 0
    assert list((released.feedback_dir / "dora" / ASSIGNMENT).glob("*.html"))
    grades = tmp_path / "grades.csv"
    assert main(["grades", "--csv", str(grades)]) == 0
    out = capsys.readouterr().out
    assert "dora" in out and "3" in out
    rows = list(csv.DictReader(grades.open()))
    assert rows[0]["student_id"] == "dora" and float(rows[0]["score"]) == 3 and float(rows[0]["max_score"]) == 3
    assert list(rows[0]) == ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                             "raw_score", "late_submission_penalty", "score", "max_score"]


def test_autograde_without_submissions_says_to_collect(released):
    with pytest.raises(CourseError, match="dlcourse collect t01_double PATH"):
        autograde(released, ASSIGNMENT)


def test_jobs_below_one_is_refused(course, capsys):
    assert main(["autograde", ASSIGNMENT, "--jobs", "0"]) == 2
    assert "--jobs must be at least 1" in capsys.readouterr().err


def test_dlcourse_db_url_switches_the_gradebook(course, tmp_path, monkeypatch):
    other = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    monkeypatch.setenv("DLCOURSE_DB_URL", other)
    switched = Course(course.course_dir)
    assert switched.db_url == other
    assert main(["release", ASSIGNMENT]) == 0
    with switched.gradebook() as gradebook:
        assert [a.name for a in gradebook.assignments] == [ASSIGNMENT]
    assert not (course.course_dir / "gradebook.db").exists()


@pytest.mark.parametrize("files, quota", [
    ({"cpu.max": "max 100000\n"}, None),
    ({"cpu.max": "100000 100000\n"}, 1),
    ({"cpu.max": "50000 100000\n"}, 1),  # half a CPU still grades one submission at a time
    ({"cpu/cpu.cfs_quota_us": "100000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 1),
    ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
    ({}, None),
])
def test_usable_cpus_respects_the_cgroup_quota_not_the_hosts_count(tmp_path, files, quota):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    pinned = len(os.sched_getaffinity(0))
    assert autograde_module.usable_cpus(tmp_path) == (pinned if quota is None else min(pinned, quota))


def _inbox(course, tmp_path, students, name="inbox"):
    inbox = tmp_path / name
    inbox.mkdir()
    for student, edit in students.items():
        nbformat.write(_student_copy(course, edit), inbox / f"{student}.ipynb")
    return inbox


def test_collected_submissions_are_read_only(released, tmp_path):
    collect(released, ASSIGNMENT, _inbox(released, tmp_path, {"erin": None}))
    for path in (released.submitted_dir / "erin" / ASSIGNMENT).iterdir():
        assert path.stat().st_mode & 0o222 == 0, path


def test_a_second_run_skips_students_already_graded_unless_forced(released, tmp_path):
    collect(released, ASSIGNMENT, _inbox(released, tmp_path, {"fay": None, "gus": None}))
    assert [o.score for o in autograde(released, ASSIGNMENT, jobs=1)] == [3, 3]
    again = autograde(released, ASSIGNMENT, jobs=1)
    assert [o.score for o in again] == [3, 3]
    assert all(o.notes == ["already graded, skipped (--force grades it again)"] for o in again)
    forced = autograde(released, ASSIGNMENT, jobs=1, force=True)
    assert [o.notes for o in forced] == [[], []]

    def wrong(nb):
        nb.cells[2].source = 'def double(x):\n    """Return 2 x."""\n    return x + 2'

    collect(released, ASSIGNMENT, _inbox(released, tmp_path, {"gus": wrong}, name="resubmitted"))
    latest = {o.student: o for o in autograde(released, ASSIGNMENT, jobs=1)}
    assert latest["fay"].notes == ["already graded, skipped (--force grades it again)"]
    assert latest["gus"].score == 1 and latest["gus"].notes == []


def test_a_second_autograde_at_once_refuses_naming_the_first(released, tmp_path):
    collect(released, ASSIGNMENT, _inbox(released, tmp_path, {"hal": None}))
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, sys, time\n"
        f"lock = open({str(released.course_dir / '.autograde.lock')!r}, 'a+')\n"
        "fcntl.flock(lock, fcntl.LOCK_EX)\n"
        "lock.write('pid 4242, grading t01_double since 09:00'); lock.flush()\n"
        "print('held', flush=True); time.sleep(60)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(CourseError, match=r"Another autograde is running on this course \(pid 4242, grading "
                                              r"t01_double since 09:00\); wait for it to finish"):
            autograde(released, ASSIGNMENT, jobs=1)
    finally:
        holder.kill()
        holder.wait()
    assert autograde(released, ASSIGNMENT, jobs=1)[0].score == 3


def test_a_damaged_gradebook_says_what_is_wrong_and_where_the_last_good_copy_is(released, tmp_path, capsys):
    collect(released, ASSIGNMENT, _inbox(released, tmp_path, {"ida": None}))
    autograde(released, ASSIGNMENT, jobs=1)
    db = Path(released.db_url[len("sqlite:///"):])
    assert db.with_name(f"{db.name}.last-good").is_file()
    db.write_bytes(b"this is not a database" * 100)
    assert main(["grades"]) == 2
    err = capsys.readouterr().err
    assert "cannot be read (file is not a database); it is damaged: copy" in err and "gradebook.db.last-good" in err
    assert "Traceback" not in err


def test_killing_the_grader_loses_nothing_and_a_rerun_completes_the_class(released, tmp_path):
    def sleeps(nb):
        nb.cells[4].source = "import time\ntime.sleep(1000)"

    collect(released, ASSIGNMENT, _inbox(released, tmp_path, {"a-first": None, "b-sleeper": sleeps, "c-last": None}))
    db = Path(released.db_url[len("sqlite:///"):])
    before = {"gradebook": db.read_bytes(), "submitted": {p: p.read_bytes() for p in released.submitted_dir.rglob("*")
                                                          if p.is_file()}}
    grader = subprocess.Popen([sys.executable, "-m", "dlcourse.grading.cli", "autograde", ASSIGNMENT, "--jobs", "1",
                               "--progress"], cwd=released.course_dir, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    for line in grader.stdout:
        if "a-first: 3/3" in line:
            break
    time.sleep(2)  # the sleeper's kernel is running now
    grader.kill()
    grader.wait()
    assert db.read_bytes() == before["gradebook"]
    assert {p: p.read_bytes() for p in released.submitted_dir.rglob("*") if p.is_file()} == before["submitted"]
    outcomes = {o.student: o for o in autograde(released, ASSIGNMENT, jobs=2)}
    assert outcomes["a-first"].score == 3 and outcomes["c-last"].score == 3 and outcomes["b-sleeper"].score == 2


def test_autograde_prints_each_result_as_it_lands(released, tmp_path, capsys):
    collect(released, ASSIGNMENT, _inbox(released, tmp_path, {"jo": None, "kim": None}))
    assert main(["autograde", ASSIGNMENT, "--jobs", "2", "--progress"]) == 0
    captured = capsys.readouterr()
    assert "jo: 3/3" in captured.out + captured.err and "kim: 3/3" in captured.out + captured.err
    assert "grading t01_double" in captured.err


def test_grading_without_a_sandbox_is_announced_and_flagged(released, tmp_path, capsys):
    collect(released, ASSIGNMENT, _inbox(released, tmp_path, {"lee": None}))
    assert main(["autograde", ASSIGNMENT, "--jobs", "1", "--no-sandbox"]) == 0
    captured = capsys.readouterr()
    assert "WARNING: grading without a sandbox" in captured.err
    assert "graded WITHOUT a sandbox" in captured.out
    with released.gradebook() as gradebook:
        assert all(nb.flagged for nb in gradebook.find_submission(ASSIGNMENT, "lee").notebooks)


def test_without_a_sandbox_to_be_had_autograde_refuses_in_one_sentence(released, tmp_path, monkeypatch, capsys):
    from dlcourse.grading import sandbox

    collect(released, ASSIGNMENT, _inbox(released, tmp_path, {"max": None}))
    monkeypatch.setattr(sandbox, "unavailable_reason", lambda: "bubblewrap (bwrap) is not installed; install it")
    assert main(["autograde", ASSIGNMENT]) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("dlcourse: error: Submissions are graded in a sandbox, and none can be had here: "
                   "bubblewrap (bwrap) is not installed; install it.")
