"""Mutants are small edits of the current solution (dlcourse.grading.verify, course/mutants/).

No kernels: these tests only read files. Every mutant of every assignment still applies to
its solution cell and changes it; a mutant whose text the solution no longer has fails with
one sentence naming the file, the function and the text; a file that is not a mutant is
reported by `convention_problems`, and is never run.
"""
import dataclasses
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from dlcourse.grading import Course
from dlcourse.grading.verify import (MutantError, answers, apply_edits, convention_problems, mutants,
                                     mutated_source, read_mutant)

REPO = Path(__file__).resolve().parent.parent
COURSE = Course(REPO / "course")
MUTANTS = COURSE.course_dir / "mutants"
A01 = COURSE.assignment("a01_perceptron_and_forward_pass")
MUTANT_FILES = sorted(MUTANTS.glob("*/*.py"))


def _solution(assignment_name: str) -> dict:
    return json.loads(COURSE.assignment(assignment_name).source.read_text())


def test_every_assignment_has_mutants():
    assert {path.parent.name for path in MUTANT_FILES} == {a.name for a in COURSE.assignments()}


@pytest.mark.parametrize("path", MUTANT_FILES, ids=lambda p: f"{p.parent.name[:3]}/{p.stem}")
def test_mutant_applies_to_the_current_solution_and_changes_it(path):
    mutant = read_mutant(path)
    solution = _solution(path.parent.name)
    original = answers(solution)[mutant.function]
    for old, _ in mutant.edits:
        assert original.count(old) == 1, f"{mutant.name}: {old!r} occurs {original.count(old)} times"
    assert mutated_source(mutant, solution) != original


def test_every_assignment_follows_the_mutant_conventions():
    for assignment in COURSE.assignments():
        assert convention_problems(assignment, MUTANTS) == [], assignment.name


# --- a mutant that no longer fits the solution --------------------------------------------

def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / A01.name / f"{name}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_a_mutant_whose_text_is_gone_fails_with_one_sentence_naming_file_function_and_text(tmp_path):
    path = _write(tmp_path, "relu_grad_stale", '"""A mistake in code the solution no longer has."""\n'
                  'FUNCTION = "relu_grad"\nEDITS = [("    return z > 0  # old code", "    return z >= 0")]\n')
    with pytest.raises(MutantError) as error:
        mutated_source(read_mutant(path), _solution(A01.name))
    message = str(error.value)
    assert "a01_perceptron_and_forward_pass/relu_grad_stale.py" in message
    assert "relu_grad" in message and "'return z > 0  # old code'" in message
    assert "update that edit's old text" in message and message.count(". ") == 0 and "\n" not in message


def test_an_ambiguous_old_text_asks_for_a_wider_one(tmp_path):
    mutant = read_mutant(_write(tmp_path, "ambiguous", '"""Twice."""\nFUNCTION = "f"\nEDITS = [("x", "y")]\n'))
    with pytest.raises(MutantError, match="occurs 2 times.*widen it by a neighbouring line"):
        apply_edits(mutant, "x = 1\nx = 2\n")


def test_edits_apply_in_order_to_the_cell_as_a_student_has_it(tmp_path):
    mutant = read_mutant(_write(tmp_path, "two_edits", '"""Two edits."""\nFUNCTION = "f"\n'
                                'EDITS = [("a = 1", "a = 2"),\n         ("b = a", "b = -a")]\n'))
    assert mutant.edits == (("a = 1", "a = 2"), ("b = a", "b = -a"))
    assert apply_edits(mutant, "a = 1\nb = a\n") == "a = 2\nb = -a\n"


# --- files that are not mutants -----------------------------------------------------------

NOT_MUTANTS = {
    "syntax_error": ('"""Broken."""\nFUNCTION = "relu_grad"\nEDITS = [("a", "b")\n', "is not valid Python"),
    "no_docstring": ('FUNCTION = "relu_grad"\nEDITS = [("a", "b")]\n', "has no docstring"),
    "no_function": ('"""No function."""\nEDITS = [("a", "b")]\n', "names no FUNCTION"),
    "no_edits": ('"""No edits."""\nFUNCTION = "relu_grad"\n', "has no EDITS"),
    "edits_not_pairs": ('"""Bad edits."""\nFUNCTION = "relu_grad"\nEDITS = ["a", "b"]\n', "has no EDITS"),
    "unknown_function": ('"""No such cell."""\nFUNCTION = "gelu"\nEDITS = [("a", "b")]\n',
                         "no solution cell with that grade_id"),
    "computed_edits": ('"""Computed."""\nFUNCTION = "relu_grad"\nEDITS = [("a", "b" * 2)]\n', "write it out"),
    "runs_code": ('"""Runs code."""\nimport os; os._exit(1)\nFUNCTION = "relu_grad"\nEDITS = [("a", "b")]\n',
                  "holds code on line 2"),
    "changes_nothing": ('"""Changes nothing."""\nFUNCTION = "relu_grad"\n'
                        'EDITS = [("(np.asarray(z) > 0)", "(np.asarray(z) > 0)")]\n', "changes nothing"),
}


@pytest.fixture
def mutants_with(tmp_path):
    """A copy of a01's mutants plus one more file; returns the copy's root."""
    def add(name: str, text: str) -> Path:
        shutil.copytree(MUTANTS / A01.name, tmp_path / A01.name)
        _write(tmp_path, name, text)
        return tmp_path
    return add


@pytest.mark.parametrize("name", NOT_MUTANTS)
def test_a_file_that_is_not_a_mutant_is_reported_as_a_convention_problem(name, mutants_with):
    text, expected = NOT_MUTANTS[name]
    problems = convention_problems(A01, mutants_with(name, text))
    assert len(problems) == 1 and expected in problems[0] and f"{name}.py" in problems[0], problems


def test_a_mutant_file_is_never_run(mutants_with, tmp_path):
    # were the file imported or executed, the first line would write the witness (the test process
    # survives either way, so this shows that nothing ran rather than that the process lived)
    witness = tmp_path / "ran"
    text = (f'"""Runs code."""\nopen({str(witness)!r}, "w").write("ran")\nimport os; os._exit(1)\n'
            'FUNCTION = "relu_grad"\nEDITS = [("a", "b")]\n')
    root = mutants_with("runs_code", text)
    problems = convention_problems(A01, root)
    with pytest.raises(MutantError, match="never run"):
        mutants(root, A01)
    assert any("holds code on line 2" in p for p in problems)
    assert not witness.exists()


def test_a_test_cell_outside_a_tests_of_block_is_reported_as_a_convention_problem(tmp_path):
    source = nbformat.read(A01.source, as_version=4)
    cell = next(c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_sigmoid")
    cell.source = "checks.check_true(True, 'x')\nprint('sigmoid: every test in this cell passed')\n"
    copy = tmp_path / "solutions" / A01.name / f"{A01.name}.ipynb"
    copy.parent.mkdir(parents=True)
    nbformat.write(source, copy)
    problems = convention_problems(dataclasses.replace(A01, source=copy), MUTANTS)
    assert problems == ['test cell test_sigmoid does not start with `with checks.tests_of("sigmoid"):`, which '
                        "reports all of its failing checks to the student and prints its pass line"]
