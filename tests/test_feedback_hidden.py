"""Feedback keeps hidden tests hidden (dlcourse.grading.hide_hidden, feedback.feedback).

The slow tests grade real submissions of every assignment in a throw-away copy of the
course and read the feedback HTML a student would get back. To keep the run to a few
minutes, each assignment is graded for its solution and its untouched release only (which
fails every test, mostly on a visible line whose traceback quotes the lines around it);
a01 and a03 also get two mutants each whose mistake only a hidden test catches, so a
failure inside a hidden block is exercised (no mutant of a05 gets past its visible tests).
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from dlcourse.grading.autograde import autograde
from dlcourse.grading.course import Course
from dlcourse.grading.feedback import feedback
from dlcourse.grading.hide_hidden import HIDDEN_NOTE, hide_hidden_tests
from dlcourse.grading.submissions import collect
from dlcourse.grading.verify import mutate, read_mutant, student_version, temporary_course

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENTS = [a.name for a in Course(REPO / "course").assignments()]

# Mutants whose mistake the visible tests miss and a hidden test catches. (Every mutant of
# a05 already fails a visible test, so a05 has none here.)
HIDDEN_ONLY_MUTANTS = {
    "a01_perceptron_and_forward_pass": ["sigmoid_overflow_warning", "relu_modifies_input_in_place"],
    "a03_optimizers": ["adam_step_hardcodes_default_betas", "run_optimizer_stores_references"],
}


# --- what a student can read ---------------------------------------------------------

def page_text(path: Path) -> str:
    """The text of a feedback page: tags stripped (code is highlighted into spans), entities unescaped."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


def split_hidden(source: str) -> tuple[list[str], list[str]]:
    """(visible lines, hidden lines) of a test cell, by its markers."""
    visible, hidden, inside = [], [], False
    for line in source.split("\n"):
        if "### BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "### END HIDDEN TESTS" in line:
            inside = False
        else:
            (hidden if inside else visible).append(line)
    return visible, hidden


def substantial(line: str) -> bool:
    text = line.strip()
    return len(text) >= 12 and not text.startswith("#")


def secret_lines(source_nb, release_nb) -> dict[str, set[str]]:
    """grade_id -> the substantial hidden lines of that test cell that nothing visible shows
    (not even inside a longer visible line, as code before a comment)."""
    public = "\n".join(cell.source for cell in release_nb.cells)
    secrets = {}
    for cell in source_nb.cells:
        visible, hidden = split_hidden(cell.source)
        if hidden:
            shown = "\n".join(visible) + "\n" + public
            secrets[cell.metadata["nbgrader"]["grade_id"]] = {
                line.strip() for line in hidden if substantial(line) and line.strip() not in shown}
    return secrets


# --- grading in a throw-away course --------------------------------------------------

@dataclass
class Graded:
    assignment: str
    student: str
    autograded: nbformat.NotebookNode  # what nbgrader wrote, hidden tests and all
    text: str  # the feedback page as a student reads it
    score: float
    handed_in: str  # every line of the submission: a student's own answer may repeat a hidden line


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """name -> that assignment's submissions graded, with feedback; graded on first use, so
    `-k a01` grades a01 alone. All share one throw-away copy of the course."""
    results = {}
    with temporary_course(Course(REPO / "course")) as course:
        def grade(name: str) -> list[Graded]:
            if name not in results:
                results[name] = _grade_with_feedback(course, name, tmp_path_factory.mktemp(name))
            return results[name]
        yield grade


def _grade_with_feedback(course: Course, name: str, inbox: Path) -> list[Graded]:
    """The solution, the release and the hidden-only mutants of one assignment, graded, with feedback."""
    assignment = course.assignment(name)
    release = json.loads((course.release_dir / name / f"{assignment.notebook}.ipynb").read_text())
    solution = student_version(json.loads(assignment.source.read_text()), release)
    (inbox / "solution.ipynb").write_text(json.dumps(solution))
    (inbox / "release.ipynb").write_text(json.dumps(release))
    for mutant in HIDDEN_ONLY_MUTANTS.get(name, []):
        path = REPO / "course" / "mutants" / name / f"{mutant}.py"
        (inbox / f"mutant-{mutant.replace('_', '-')}.ipynb").write_text(json.dumps(mutate(solution, read_mutant(path))))
    collect(course, name, inbox)
    outcomes = autograde(course, name, jobs=2)
    written, failures = feedback(course, name)
    assert failures == [] and written == len(outcomes)
    return [Graded(name, o.student,
                   nbformat.read(course.autograded_dir / o.student / name / f"{assignment.notebook}.ipynb", 4),
                   page_text(course.feedback_dir / o.student / name / f"{assignment.notebook}.html"), o.score,
                   "\n".join(c.source for c in nbformat.read(inbox / f"{o.student}.ipynb", 4).cells))
            for o in outcomes]


def _test_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and "### BEGIN HIDDEN TESTS" in c.source]


def _failing_line(error, cell) -> int | None:
    plain = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(error.traceback))
    found = re.search(rf"Cell In\[{cell.execution_count}\], line (\d+)", plain)
    return int(found.group(1)) if found else None


def _hidden_numbers(source: str) -> set[int]:
    numbers, inside = set(), False
    for number, line in enumerate(source.split("\n"), 1):
        inside = inside or "### BEGIN HIDDEN TESTS" in line
        if inside:
            numbers.add(number)
        inside = inside and "### END HIDDEN TESTS" not in line
    return numbers


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_feedback_never_shows_a_line_of_a_hidden_test(graded, name):
    course = Course(REPO / "course")
    assignment = course.assignment(name)
    secrets = secret_lines(nbformat.read(assignment.source, 4),
                           nbformat.read(course.release_dir / name / f"{assignment.notebook}.ipynb", 4))
    assert any(secrets.values()), "the assignment has hidden tests to protect"
    for result in graded(name):
        # (The hidden tests of a06-a08 repeat lines of the solution, which a correct answer shows as its own.)
        leaked = [(grade_id, line) for grade_id, lines in secrets.items() for line in lines
                  if line in result.text and line not in result.handed_in]
        assert leaked == [], f"{result.student}'s feedback shows hidden test code: {leaked[:3]}"


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_feedback_shows_the_visible_tests_and_says_hidden_tests_ran(graded, name):
    for result in graded(name):
        assert result.text.count(HIDDEN_NOTE.strip("# .")) >= len(_test_cells(result.autograded))
        for cell in _test_cells(result.autograded):
            visible, _ = split_hidden(cell.source)
            missing = [line.strip() for line in visible if substantial(line) and line.strip() not in result.text]
            assert missing == [], f"{result.student}: visible tests of {cell.metadata.nbgrader.grade_id} missing"


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_feedback_gives_the_message_of_every_failure_and_the_score(graded, name):
    for result in graded(name):
        assert f"(Score: {round(result.score, 2)} /" in result.text
        for cell in _test_cells(result.autograded):
            for output in cell.outputs:
                if output.output_type == "error":
                    first_line = f"{output.ename}: {output.evalue}".split("\n")[0]
                    assert first_line in result.text, f"{result.student}: the failure of {cell.metadata.nbgrader.grade_id}"


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n, mutants in HIDDEN_ONLY_MUTANTS.items() if mutants])
def test_a_failed_hidden_test_shows_only_its_message(graded, name):
    hidden_failures = 0
    for result in graded(name):
        for cell in _test_cells(result.autograded):
            for error in (o for o in cell.outputs if o.output_type == "error"):
                if _failing_line(error, cell) in _hidden_numbers(cell.source):
                    hidden_failures += 1
                    assert "A hidden test failed" in result.text
                    assert f"{error.ename}: {error.evalue}".split("\n")[0] in result.text
    assert hidden_failures, "no graded mutant failed inside a hidden block; update HIDDEN_ONLY_MUTANTS"


# --- the rewrite itself, on a hand-made notebook (fast) ------------------------------

INSTRUCTOR = (
    "got = f(1.0)\n"
    "check(got, 2.0)\n"
    "### BEGIN HIDDEN TESTS\n"
    "secret_input = np.linspace(-7, 7, 13)\n"
    "check(f(secret_input), 2 * secret_input)\n"
    "### END HIDDEN TESTS\n"
    "print('done')"
)


def _test_cell(source: str, traceback: list[str], count: int = 4):
    cell = nbformat.v4.new_code_cell(source, execution_count=count)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "test_f", "locked": True, "points": 2}
    cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError",
                                           evalue="f(x) is wrong at x = -7", traceback=traceback)]
    return cell


def _frame(count: int, failing: int, lines: list[str]) -> str:
    quoted = [f"{'---->' if n == failing else '     '} {n} {text}" for n, text in enumerate(lines, 1)]
    return "\n".join([f"\x1b[0;31mCell In[{count}], line {failing}\x1b[0m", *quoted])


def _rewritten(cell):
    nb = nbformat.v4.new_notebook(cells=[cell])
    hide_hidden_tests(nb, {"test_f": [INSTRUCTOR]})
    return nb.cells[0]


def test_a_hidden_failure_becomes_its_one_line_message():
    cell = _rewritten(_test_cell(INSTRUCTOR, ["-----", _frame(4, 5, INSTRUCTOR.split("\n")),
                                              "AssertionError: f(x) is wrong at x = -7"]))
    assert "secret_input" not in cell.source and HIDDEN_NOTE in cell.source and "check(got, 2.0)" in cell.source
    assert cell.outputs[0].traceback[-1] == "AssertionError: f(x) is wrong at x = -7"
    assert not any("secret_input" in line for line in cell.outputs[0].traceback)


def test_a_visible_failure_keeps_its_traceback_without_the_hidden_context():
    traceback = ["-----", _frame(4, 2, INSTRUCTOR.split("\n")), "AssertionError: f(x) is wrong at x = 1"]
    cell = _rewritten(_test_cell(INSTRUCTOR, traceback))
    text = "\n".join(cell.outputs[0].traceback)
    assert "----> 2 check(got, 2.0)" in text and "1 got = f(1.0)" in text
    assert "secret_input" not in text and "BEGIN HIDDEN" not in text


def test_moved_markers_in_a_submission_do_not_reveal_the_hidden_lines():
    # The cell that ran is not the instructor's (say its markers were edited): show the
    # instructor's visible tests, and only the message of any failure in it.
    tampered = INSTRUCTOR.replace("### BEGIN HIDDEN TESTS\n", "").replace("### END HIDDEN TESTS\n", "")
    cell = _rewritten(_test_cell(tampered, ["-----", _frame(4, 2, tampered.split("\n")), "AssertionError: x"]))
    assert "secret_input" not in cell.source + "\n".join(cell.outputs[0].traceback)
    assert "check(got, 2.0)" in cell.source and HIDDEN_NOTE in cell.source
    assert cell.outputs[0].traceback[-1] == "AssertionError: f(x) is wrong at x = -7"


def test_a_warning_that_quotes_a_hidden_line_is_dropped_from_the_output():
    cell = _test_cell(INSTRUCTOR, [])
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text=(
        "/tmp/ipykernel_1/2.py:5: RuntimeWarning: overflow encountered in exp\n"
        "  check(f(secret_input), 2 * secret_input)\n"))]
    cell = _rewritten(cell)
    assert "RuntimeWarning" in cell.outputs[0].text and "secret_input" not in cell.outputs[0].text
