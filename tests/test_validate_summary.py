"""`dlcourse validate NOTEBOOK`: one line per graded part, a total, an exit status, and one
sentence for a notebook that cannot be validated; the notebook itself is never written."""
import ast
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from dlcourse.grading.cli import main
from dlcourse.grading.validate import ValidateError, course_settings, read_notebook, validate

REPO = Path(__file__).resolve().parent.parent
A01 = "a01_perceptron_and_forward_pass"
RELEASE = REPO / "assignments" / A01 / f"{A01}.ipynb"
SOLUTION = REPO / "solutions" / A01 / f"{A01}.ipynb"
MUTANT = REPO / "course" / "mutants" / A01 / "relu_returns_its_derivative.py"
A01_PARTS = ["sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad", "leaky_relu", "leaky_relu_grad",
             "softmax", "perceptron_update", "dense_forward", "count_parameters", "xor_weights"]


def _cell(nb, grade_id):
    (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    return cell


def _lines(out: str) -> dict[str, str]:
    """{part: its line of the table} from the command's output."""
    return {line.split()[0]: line for line in out.splitlines() if line.split() and line.split()[0] in A01_PARTS}


# ------------------------------------------------------------------ whole assignments (kernels)
@pytest.mark.slow
def test_the_untouched_release_fails_every_part_as_not_answered_and_is_left_unchanged(capsys):
    before = RELEASE.read_bytes()
    status = main(["validate", str(RELEASE)])
    out, err = capsys.readouterr()
    assert status == 1
    assert RELEASE.read_bytes() == before
    lines = _lines(out)
    assert list(lines) == A01_PARTS
    for name, line in lines.items():
        assert line.split()[1:3] == ["failed", f"0/{line.split()[2].split('/')[1]}"], line
        assert f"not answered yet: NotImplementedError: Implement {name}(" in line, line
    assert "total: 0 of 13 parts passed, 0/25 points" in out
    assert "Traceback" not in out + err
    assert len(out) < 3000  # nbgrader's dialog says the same in ~27,000 characters


@pytest.mark.slow
def test_the_solution_passes_every_part_with_full_points(capsys):
    assert main(["validate", str(SOLUTION)]) == 0
    out, _ = capsys.readouterr()
    lines = _lines(out)
    assert list(lines) == A01_PARTS
    assert all(line.split()[1] == "passed" for line in lines.values()), out
    assert "total: 13 of 13 parts passed, 25/25 points" in out


@pytest.mark.slow
def test_a_right_answer_a_wrong_one_and_an_edited_test_are_told_apart(tmp_path):
    solution, nb = nbformat.read(SOLUTION, 4), nbformat.read(RELEASE, 4)
    _cell(nb, "sigmoid").source = _cell(solution, "sigmoid").source
    mutant = ast.literal_eval(next(node.value for node in ast.parse(MUTANT.read_text()).body
                                   if isinstance(node, ast.Assign) and node.targets[0].id == "EDITS"))
    relu = _cell(solution, "relu").source
    for old, new in mutant:
        assert old in relu
        relu = relu.replace(old, new)
    _cell(nb, "relu").source = relu
    _cell(nb, "test_count_parameters").source = 'with checks.tests_of("count_parameters"):\n    pass'
    copy = tmp_path / RELEASE.name
    nbformat.write(nb, copy)

    parts = {p.name: p for p in validate(copy)}  # in a temporary folder: no course/, the course's defaults

    assert [name for name, p in parts.items() if p.passed] == ["sigmoid", "count_parameters"]
    assert parts["sigmoid"].points == parts["sigmoid"].max_points == 2 and parts["sigmoid"].message == ""
    relu = parts["relu"]
    assert (relu.points, relu.max_points, relu.unanswered) == (0, 1, False)
    assert relu.message.startswith("CheckFailure: relu(z) for z = [-2, -0.5, 0, 0.5, 3] is wrong at 2 of 5 entries"), \
        relu.message  # the first line of the checks' report
    assert "\n" not in relu.message
    assert parts["tanh"].unanswered and parts["tanh"].message.startswith("not answered yet")
    assert parts["count_parameters"].message == "you edited this test cell: grading runs the original"


@pytest.mark.slow
def test_a_cell_out_of_time_a_typo_and_stderr_are_each_named(tmp_path):
    def graded(grade_id, points=None, answer=False):
        return {"nbgrader": {"grade": points is not None, "solution": answer, "locked": not answer,
                             "grade_id": grade_id, "points": points, "schema_version": 3}}

    nb = new_notebook(cells=[
        new_code_cell("from dlcourse import checks", metadata=graded("setup")),
        new_code_cell("def spin():\n    while True:\n        pass", metadata=graded("spin", answer=True)),
        new_code_cell('with checks.tests_of("spin"):\n    spin()', metadata=graded("test_spin", 2)),
        new_code_cell("def typo(:\n    return 1", metadata=graded("typo", answer=True)),
        new_code_cell('with checks.tests_of("typo"):\n    typo()', metadata=graded("test_typo", 1)),
        new_code_cell('import sys\nprint("oops", file=sys.stderr)', metadata=graded("test_quiet", 1)),
        new_code_cell('import warnings\nwarnings.warn("old", DeprecationWarning)', metadata=graded("test_warns", 1)),
    ])
    notebook = tmp_path / "small.ipynb"
    nbformat.write(nb, notebook)
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text("c = get_config()\nc.Execute.timeout_func = lambda cell: 2\n")

    parts = {p.name: p for p in validate(notebook, course_dir=course)}

    assert parts["spin"].message == "did not finish within 2 s"
    assert parts["typo"].message == "its answer cell raised SyntaxError: invalid syntax (line 1)"
    assert parts["test_quiet"].message == "wrote to stderr, which scores 0: oops"
    assert parts["test_warns"].passed  # the course ignores warnings on stderr, as grading does
    assert [p.passed for p in parts.values()] == [False, False, False, True]


@pytest.mark.slow
def test_a_missing_kernel_is_one_sentence(tmp_path, capsys):
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text('c = get_config()\nc.ExecutePreprocessor.kernel_name = "no-such"\n')
    assert main(["--course", str(course), "validate", str(RELEASE)]) == 2
    _, err = capsys.readouterr()
    assert err.strip() == ("dlcourse validate: The course kernel 'no-such' is not installed: run `make lab` once "
                           "in the course folder (it installs it), then validate again.")


# ------------------------------------------------------------------ files that are no assignment
def _error_of(argv, capsys) -> str:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and len(err.strip().splitlines()) == 1, err
    return err.strip()


def test_a_missing_file_is_one_sentence(tmp_path, capsys):
    err = _error_of(["validate", str(tmp_path / "a01.ipynb")], capsys)
    assert err == f"dlcourse validate: There is no file {tmp_path / 'a01.ipynb'}: check the name (Tab completes it in the terminal)."


def test_damaged_json_is_one_sentence_and_the_file_is_left_alone(tmp_path, capsys):
    damaged = tmp_path / RELEASE.name
    damaged.write_bytes(RELEASE.read_bytes()[:5000])
    err = _error_of(["validate", str(damaged)], capsys)
    assert "its JSON is damaged at line" in err and "Revert Notebook to Checkpoint" in err
    assert damaged.read_bytes() == RELEASE.read_bytes()[:5000]


def test_a_file_that_is_not_a_notebook_is_one_sentence(tmp_path, capsys):
    script = tmp_path / "answers.py"
    script.write_text("print(1)\n")
    assert "is not a Jupyter notebook" in _error_of(["validate", str(script)], capsys)
    other_json = tmp_path / "data.ipynb"
    other_json.write_text('{"cells": 3}')
    assert "is not a Jupyter notebook" in _error_of(["validate", str(other_json)], capsys)


def test_a_notebook_without_graded_cells_is_not_an_assignment(tmp_path, capsys):
    lecture = tmp_path / "lecture.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("1 + 1")]), lecture)
    assert "has no graded test cells" in _error_of(["validate", str(lecture)], capsys)
    with pytest.raises(ValidateError, match="has no graded test cells"):
        read_notebook(lecture)


def test_a_test_cell_without_points_is_damaged_grading_data(tmp_path, capsys):
    nb = nbformat.read(RELEASE, 4)
    del _cell(nb, "test_relu").metadata.nbgrader["points"]
    damaged = tmp_path / RELEASE.name
    nbformat.write(nb, damaged)
    assert "The test cell 'relu' of" in _error_of(["validate", str(damaged)], capsys)


def test_validate_without_a_notebook_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as usage:
        main(["validate"])
    assert usage.value.code == 2
    assert "the following arguments are required: notebook" in capsys.readouterr().err


def test_outside_the_course_the_notebook_runs_with_the_course_settings(tmp_path, monkeypatch):
    monkeypatch.delenv("DLCOURSE_COURSE_DIR", raising=False)
    defaults = course_settings(start=tmp_path)  # a student's copy far from course/
    course = course_settings(start=REPO / "assignments" / A01)
    assert course.Execute.timeout_func is not defaults.Execute.timeout_func  # the course's file was read
    for section, name in [("ExecutePreprocessor", "kernel_name"), ("Execute", "timeout"),
                          ("Execute", "interrupt_on_timeout"), ("Execute", "extra_arguments"),
                          ("IgnorePattern", "enabled"), ("IgnorePattern", "pattern")]:
        assert defaults[section][name] == course[section][name], f"{section}.{name}"
    cells = [{"cell_type": "code", "source": "", "metadata": meta} for meta in
             ({}, {"nbgrader": {"grade": True, "grade_id": "t", "points": 1}, "dlcourse": {"time_limit": 150}})]
    assert [defaults.Execute.timeout_func(c) for c in cells] == [course.Execute.timeout_func(c) for c in cells] == [60, 150]
