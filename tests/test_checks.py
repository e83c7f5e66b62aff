"""dlcourse.checks: each check passes on right answers and explains a wrong one in words."""
import re

import numpy as np
import pytest
import torch

import dlcourse.checks as checks
import dlcourse.nn.activations as activations
from dlcourse.checks import (check_close, check_equal, check_gradient, check_shape, check_true,
                             forbid_reference, numerical_gradient)
from dlcourse.nn.activations import sigmoid as imported_sigmoid

TRAP = ("Your code called the library's reference `dlcourse.nn.activations.sigmoid`; this test gives credit "
        "only for your own implementation, so write it without calling dlcourse's version.")


def failure(check, *args, **kwargs) -> str:
    """The message of the AssertionError the check raises."""
    with pytest.raises(AssertionError) as raised:
        check(*args, **kwargs)
    return str(raised.value)


def test_public_api_is_listed_in_all():
    assert set(checks.__all__) == {"CheckFailure", "tests_of", "check_shape", "check_close", "check_equal",
                                   "check_true", "numerical_gradient", "check_gradient", "forbid_reference"}


# ------------------------------------------------------------------ check_shape
def test_check_shape_accepts_arrays_tensors_lists_scalars_and_wildcards():
    check_shape(np.zeros((3, 4)), (3, 4), "a")
    check_shape(torch.zeros(3, 4), (3, 4), "a")
    check_shape([[1, 2], [3, 4]], (2, 2), "a")
    check_shape(2.5, (), "a")
    check_shape(np.zeros((7, 10)), (None, 10), "a")
    check_shape(np.zeros(5), 5, "a")


def test_check_shape_names_expected_and_got_shapes():
    message = failure(check_shape, np.zeros((4, 3)), (3, 4), "sigmoid(z)")
    assert message.startswith("sigmoid(z) has the wrong shape: expected (3, 4), got (4, 3).")
    assert "transposed" in message


def test_check_shape_explains_wildcards_scalars_and_size_one_axes():
    assert "expected (any, 10), got (7, 9)." in failure(check_shape, np.zeros((7, 9)), (None, 10), "logits")
    assert "got () (a single number)" in failure(check_shape, 1.0, (3,), "y_hat")
    assert "axes of size 1" in failure(check_shape, np.zeros((3, 1)), (3,), "y_hat")


def test_check_shape_reports_none_and_ragged_lists():
    assert failure(check_shape, None, (3,), "f(x)") == "f(x) returned None; did you forget `return`?"
    assert "not a rectangular array" in failure(check_shape, [[1, 2], [3]], (2, 2), "W")


# ------------------------------------------------------------------ check_close
def test_check_close_passes_within_tolerance_for_arrays_tensors_lists_and_scalars():
    expected = np.array([[0.1, 0.2], [0.3, 0.4]])
    check_close(expected + 1e-9, expected, "a")
    check_close(torch.tensor(expected, requires_grad=True), expected, "a")
    check_close(torch.tensor(expected, dtype=torch.float32), expected, "a", rtol=1e-6)
    check_close(expected.tolist(), expected, "a")
    check_close(0.5, np.float64(0.5), "a")
    check_close(np.array([np.nan, 1.0]), [np.nan, 1.0], "a")  # a nan that is expected


def test_check_close_reports_count_shape_largest_difference_index_and_arrays():
    expected = np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]])
    got = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.5]])
    assert failure(check_close, got, expected, "relu_grad(z)") == (
        "relu_grad(z) is wrong at 2 of 6 entries (shape (2, 3)): largest difference 1 at index (0, 1), "
        "expected 0, got 1. Expected [[1, 0, 0], [1, 1, 0]] got [[1, 1, 0], [1, 1, 0.5]].")


def test_check_close_leaves_out_large_arrays_but_keeps_the_worst_entry():
    expected = np.zeros(100)
    got = expected.copy()
    got[[3, 40]] = [0.1, -2.5]
    message = failure(check_close, got, expected, "h")
    assert message == ("h is wrong at 2 of 100 entries (shape (100,)): largest difference 2.5 at index 40, "
                       "expected 0, got -2.5.")


def test_check_close_prints_enough_digits_to_tell_near_values_apart():
    message = failure(check_close, 0.50012, 0.5, "sigmoid(0)")
    assert message.startswith("sigmoid(0) is wrong: expected 0.5, got 0.5001.")
    assert "rtol=1e-05" in message and "float32" in message


def test_check_close_checks_shape_before_values():
    message = failure(check_close, np.zeros((4, 3)), np.zeros((3, 4)), "sigmoid(z)")
    assert message.startswith("sigmoid(z) has the wrong shape: expected (3, 4), got (4, 3).")


def test_check_close_reports_a_none_return():
    assert failure(check_close, None, [1.0], "sigmoid(z)") == "sigmoid(z) returned None; did you forget `return`?"


def test_check_close_reports_non_numbers():
    assert failure(check_close, "0.5", 0.5, "p") == "p should be a number or an array of numbers; got str '0.5'."


def test_check_close_reports_nan_and_inf_where_a_number_was_expected():
    expected = np.array([[0.2447, 0.6652, 0.0900]])
    message = failure(check_close, [[0.2447, 0.6652, np.nan]], expected, "softmax(z)")
    assert message.startswith("softmax(z) contains nan at index (0, 2); expected 0.09.")
    assert "0/0" in message
    message = failure(check_close, [[np.inf, np.inf, 0.09]], expected, "softmax(z)")
    assert message.startswith("softmax(z) contains inf at index (0, 0) (and at 1 other entry); expected 0.2447.")
    assert "overflow" in message
    assert failure(check_close, np.nan, 0.5, "sigmoid(0)").startswith("sigmoid(0) is nan; expected 0.5.")


def test_check_close_rejects_a_bad_reference_as_a_test_bug():
    with pytest.raises(TypeError, match="check_close expects `expected`"):
        check_close([1.0], None, "x")


# ------------------------------------------------------------------ check_equal
def test_check_equal_passes_on_equal_values():
    check_equal(np.array([0, 1, 1, 0]), [0, 1, 1, 0], "predict(X)")
    check_equal(torch.tensor([2, 0]), np.array([2, 0]), "labels")
    check_equal(17, 17, "parameter count")
    check_equal(np.int64(5), 5, "n")
    check_equal((3, 4), (3, 4), "W.shape")
    check_equal("relu", "relu", "name")


def test_check_equal_reports_first_wrong_entry_and_arrays():
    assert failure(check_equal, np.array([0, 0, 1, 1]), [0, 1, 1, 0], "predict(X)") == (
        "predict(X) is wrong at 2 of 4 entries (shape (4,)): first at index 1, expected 1, got 0. "
        "Expected [0, 1, 1, 0] got [0, 0, 1, 1].")


def test_check_equal_reports_numbers_tuples_and_types():
    assert failure(check_equal, 71, 17, "parameter count") == "parameter count is wrong: expected 17, got 71."
    assert failure(check_equal, (4, 3), (3, 4), "W.shape") == "W.shape is wrong: expected (3, 4), got (4, 3)."
    assert failure(check_equal, [3, 4], (3, 4), "W.shape") == (
        "W.shape is wrong: expected (3, 4), got [3, 4] (a list where a tuple was expected).")
    assert failure(check_equal, None, 3, "n") == "n returned None; did you forget `return`?"
    assert "wrong shape: expected (4,), got (3,)" in failure(check_equal, np.zeros(3), np.zeros(4), "y")


# ------------------------------------------------------------------ check_true
def test_check_true_raises_the_callers_message():
    check_true(0.97 >= 0.95, "unused")
    check_true(np.bool_(True), "unused")
    assert failure(check_true, 0.91 >= 0.95, "test accuracy 0.910 is below 0.95") == "test accuracy 0.910 is below 0.95"


# ------------------------------------------------------------------ gradients
def test_numerical_gradient_matches_the_derivative_of_a_cubic_and_leaves_x_unchanged():
    x = np.random.default_rng(0).normal(size=(3, 4))
    before = x.copy()
    grad = numerical_gradient(lambda v: np.sum(v**3), x)
    assert grad.shape == (3, 4)
    np.testing.assert_allclose(grad, 3 * before**2, rtol=1e-7, atol=1e-8)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_perturbs_x_in_place_so_closures_see_it():
    W = np.array([1.0, -2.0])
    grad = numerical_gradient(lambda _: float(np.sum(W**2)), W)  # reads W, not its argument
    np.testing.assert_allclose(grad, [2.0, -4.0], rtol=1e-7)
    np.testing.assert_array_equal(W, [1.0, -2.0])


def test_numerical_gradient_restores_x_when_f_raises():
    x = np.array([1.0, 2.0])

    def explode(v):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        numerical_gradient(explode, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_numerical_gradient_explains_bad_x_and_non_scalar_f():
    with pytest.raises(TypeError, match="float64 NumPy array.*got an array of float32"):
        numerical_gradient(np.sum, np.zeros(3, dtype=np.float32))
    with pytest.raises(TypeError, match=re.escape("return a single number (the loss); got ndarray of shape (3,)")):
        numerical_gradient(lambda v: v * 2, np.zeros(3))


def test_check_gradient_passes_on_the_right_gradient():
    x = np.random.default_rng(1).normal(size=(2, 3))
    check_gradient(lambda v: np.sum(v**3), x, 3 * x**2, name="dL/dx")
    check_gradient(lambda v: np.sum(v**3), x, torch.tensor(3 * x**2), name="dL/dx")


def test_check_gradient_catches_a_missing_factor_of_two():
    W = np.array([[0.5, -1.0], [2.0, 0.25]])
    message = failure(check_gradient, lambda w: np.sum(w**2), W, W, name="dL/dW")
    assert message.startswith("dL/dW does not match the numerical gradient at 4 of 4 entries (shape (2, 2)), "
                              "worst at index (1, 0): analytic 2, numerical 4, relative error 0.5")
    assert "0.5 times the numerical one" in message


def test_check_gradient_reports_shape_none_and_sign():
    x = np.ones(3)
    assert failure(check_gradient, np.sum, x, np.ones(4), name="db").startswith(
        "db has the wrong shape: expected (3,), got (4,).")
    assert failure(check_gradient, np.sum, x, None, name="db") == "db returned None; did you forget `return`?"
    assert "sign flipped" in failure(check_gradient, np.sum, x, -np.ones(3), name="db")


# ------------------------------------------------------------------ forbid_reference
def student_sigmoid_calling_the_module(z):
    return activations.sigmoid(z)


def student_sigmoid_calling_an_alias(z):
    return imported_sigmoid(z)  # imported at the top of this file, before any trap was set


def student_sigmoid_of_their_own(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


class ReferenceModel:
    """Stands in for a library class: a method with super(), a static method, a property."""

    def __init__(self, scale=2.0):
        self.scale = scale

    def forward(self, z):
        return self.scale * z

    @staticmethod
    def name():
        return "reference"

    @property
    def doubled(self):
        return 2 * self.scale


class ReferenceChild(ReferenceModel):
    def forward(self, z):
        return super().forward(z) + 1  # a free variable (__class__) in the code being swapped


def test_forbid_reference_traps_direct_calls_and_aliases():
    with forbid_reference(activations.sigmoid):
        assert failure(student_sigmoid_calling_the_module, 0.0) == TRAP
        assert failure(student_sigmoid_calling_an_alias, 0.0) == TRAP
        assert failure(activations.softplus_grad, 0.0) == TRAP  # a reference built on the trapped one


def test_forbid_reference_gives_credit_for_the_students_own_work():
    z = np.linspace(-3, 3, 7)
    expected = activations.sigmoid(z)
    with forbid_reference(activations.sigmoid):
        got = student_sigmoid_of_their_own(z)
    check_close(got, expected, "sigmoid(z)")


def test_forbid_reference_traps_every_method_of_a_class():
    model = ReferenceChild()
    with forbid_reference(ReferenceModel, ReferenceChild):
        for call in (lambda: model.forward(1.0), ReferenceModel.name, lambda: model.doubled, ReferenceChild):
            with pytest.raises(AssertionError, match="Your code called the library's reference `"):
                call()
        message = failure(lambda: model.forward(1.0))
    assert "`test_checks.ReferenceChild.forward`" in message
    assert model.forward(1.0) == 3.0 and ReferenceModel.name() == "reference" and model.doubled == 4.0


def test_forbid_reference_accepts_bound_methods_closures_and_modules():
    model = ReferenceModel()

    def make_adder(n):
        def add(x):
            return x + n
        return add

    add_two = make_adder(2)
    with forbid_reference(model.forward, add_two):
        assert "ReferenceModel.forward" in failure(model.forward, 1.0)
        assert "make_adder.<locals>.add" in failure(add_two, 1)
    assert model.forward(1.0) == 2.0 and add_two(1) == 3
    with forbid_reference(activations):
        assert "activations.relu`" in failure(activations.relu, 1.0)
    assert activations.relu(1.0) == 1.0


def test_forbid_reference_restores_the_reference_after_the_block_and_after_an_exception():
    with forbid_reference(activations.sigmoid):
        pass
    assert student_sigmoid_calling_an_alias(0.0) == 0.5
    with pytest.raises(ZeroDivisionError):
        with forbid_reference(activations.sigmoid):
            1 / 0
    assert student_sigmoid_calling_the_module(0.0) == 0.5


def test_forbid_reference_nests_and_can_be_reused():
    outer = forbid_reference(activations.sigmoid, activations.relu)
    with outer:
        with forbid_reference(activations.sigmoid):
            assert failure(imported_sigmoid, 0.0) == TRAP
        assert failure(imported_sigmoid, 0.0) == TRAP  # still trapped: the outer block is open
        with outer:
            assert "relu" in failure(activations.relu, 1.0)
        assert "relu" in failure(activations.relu, 1.0)
    assert imported_sigmoid(0.0) == 0.5 and activations.relu(1.0) == 1.0
    with outer:
        assert failure(imported_sigmoid, 0.0) == TRAP
    assert imported_sigmoid(0.0) == 0.5


def test_forbid_reference_restores_blocks_closed_out_of_order():
    first, second = forbid_reference(activations.tanh), forbid_reference(activations.tanh)
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert "tanh" in failure(activations.tanh, 0.0)
    second.__exit__(None, None, None)
    assert activations.tanh(0.0) == 0.0


def test_forbid_reference_works_as_a_decorator():
    @forbid_reference(activations.sigmoid)
    def graded():
        return student_sigmoid_calling_the_module(0.0)

    assert failure(graded) == TRAP
    assert imported_sigmoid(0.0) == 0.5


def test_forbid_reference_rejects_what_it_cannot_trap():
    with pytest.raises(TypeError, match="only functions, methods, classes and modules written in Python"):
        forbid_reference(np.exp)
    with pytest.raises(TypeError, match="at least one"):
        forbid_reference()


def test_checks_write_nothing_to_stderr(capfd):
    failure(check_close, [np.inf, 1.0], [1.0, 1.0], "x")
    failure(check_close, [np.nan, -np.inf], [np.inf, 1.0], "x")
    failure(check_gradient, np.sum, np.array([1.0, 0.0]), np.array([np.inf, 0.0]), name="g")
    with forbid_reference(activations.sigmoid):
        failure(imported_sigmoid, 0.0)
    captured = capfd.readouterr()
    assert captured.err == ""


def test_instructor_arguments_of_the_wrong_type_are_type_errors_and_bad_values_value_errors():
    with pytest.raises(TypeError, match=r"^check_close expects name to be a string such as 'sigmoid\(z\)'; got int\.$"):
        check_close(1.0, 1.0, 3)
    with pytest.raises(TypeError, match=r"^numerical_gradient expects eps to be a small positive number; "
                                        r"got '1e-6'\.$"):
        numerical_gradient(lambda x: float(x.sum()), np.zeros(2), eps="1e-6")
    with pytest.raises(ValueError, match=r"^numerical_gradient expects eps to be a small positive number; got 0\.$"):
        numerical_gradient(lambda x: float(x.sum()), np.zeros(2), eps=0)
    with pytest.raises(ValueError, match=r"^check_shape expects expected_shape to be a tuple of sizes"):
        check_shape(np.zeros(3), (-1,), "x")


# ------------------------------------------------------------------ naming the input of a wrong entry
def test_a_wrong_entry_is_named_by_its_input_when_the_test_passes_the_inputs():
    z = np.array([-2.0, 0.0, 3.0])
    wrong = np.array([0.1192, 0.4, 0.9526])  # sigmoid, except at z = 0
    message = failure(check_close, wrong, 1 / (1 + np.exp(-z)), "sigmoid(z)", rtol=1e-3, inputs={"z": z})
    assert "at z = 0, expected 0.5, got 0.4" in message and "index" not in message
    message = failure(check_close, np.array([0.1, np.nan, 0.9]), [0.1, 0.5, 0.9], "sigmoid(z)", inputs={"z": z})
    assert "contains nan at z = 0" in message
    message = failure(check_equal, np.array([0, 1, 0]), np.array([0, 0, 1]), "step(z)", inputs={"z": z})
    assert "first at z = 0, expected 0, got 1" in message


def test_inputs_of_another_shape_than_the_result_are_a_bug_in_the_test_cell():
    with pytest.raises(ValueError, match="inputs to have the shape of the result, \\(3,\\).*'z' has shape \\(2,\\)"):
        check_close(np.zeros(3), np.ones(3), "f(z)", inputs={"z": np.zeros(2)})
    with pytest.raises(TypeError, match="inputs to be a dict"):
        check_close(np.zeros(3), np.ones(3), "f(z)", inputs=[np.zeros(3)])


# ------------------------------------------------------------------ every failure of a test cell
@pytest.fixture
def studying(monkeypatch):
    """A student working through the notebook: not graded, so failures are collected."""
    monkeypatch.setattr(checks, "_GRADING", False)


def test_a_cell_whose_checks_pass_says_so(studying, capsys):
    with checks.tests_of("relu"):
        check_close(np.maximum(0, [-1.0, 2.0]), [0.0, 2.0], "relu(z)")
    assert capsys.readouterr().out == "relu: every test in this cell passed\n"


def test_every_failing_check_of_a_cell_is_reported_together_and_the_cell_goes_on(studying, capsys):
    ran_to_the_end = False
    with pytest.raises(checks.CheckFailure) as raised:
        with checks.tests_of("relu"):
            check_close(np.array([1.0, 2.0]), [0.0, 2.0], "relu([-1, 2])")
            check_true(True, "never shown")
            check_shape(np.zeros(3), (2,), "relu(z) for z of shape (2,)")
            ran_to_the_end = True
    message = str(raised.value)
    assert ran_to_the_end and capsys.readouterr().out == ""
    assert re.match(r"2 checks of relu failed:\n  1\. line \d+: relu\(\[-1, 2\]\) is wrong at 1 of 2 entries", message)
    assert re.search(r"\n  2\. line \d+: relu\(z\) for z of shape \(2,\) has the wrong shape: expected \(2,\), got \(3,\)\.",
                     message)


def test_a_check_that_fails_inside_another_is_reported_once(studying):
    with pytest.raises(checks.CheckFailure) as raised:
        with checks.tests_of("f"):
            check_close(np.zeros(3), np.zeros(2), "f(x)")  # check_close runs check_shape: one failure, not two
    assert "has the wrong shape" in str(raised.value) and "checks of f failed" not in str(raised.value)


def test_an_error_of_the_students_code_ends_the_cell_with_the_failures_before_it_as_a_note(studying):
    with pytest.raises(ZeroDivisionError) as raised:
        with checks.tests_of("f"):
            check_true(False, "f(0) should be 1.")
            1 / 0
    assert re.fullmatch(r"Before this, 1 check\(s\) of f failed:\n  1\. line \d+: f\(0\) should be 1\.",
                        raised.value.__notes__[0])


def test_while_grading_the_first_failure_ends_the_cell(monkeypatch):
    monkeypatch.setattr(checks, "_GRADING", True)
    reached = False
    with pytest.raises(checks.CheckFailure, match="^first$"):
        with checks.tests_of("f"):
            check_true(False, "first")
            reached = True
    assert not reached and checks._collecting == []


def test_grading_mode_is_read_from_nbgrader_when_the_module_is_imported():
    import subprocess
    import sys

    code = "import dlcourse.checks as c; print(c._GRADING)"
    for value, expected in (("autograde", "True"), ("", "False")):
        env = {**__import__("os").environ, "NBGRADER_EXECUTION": value}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        assert out.stdout.strip() == expected


def test_a_check_failure_is_an_assertion_error_so_nbgrader_and_old_cells_treat_it_alike():
    assert issubclass(checks.CheckFailure, AssertionError)
    with pytest.raises(AssertionError):
        check_true(False, "x")


def test_in_ipython_the_traceback_of_a_failure_ends_at_the_test_cell_line():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        result = shell.run_cell("from dlcourse import checks\n"
                                "got = [1.0, 2.0]\n"
                                "checks.check_close(got, [1.0, 3.0], 'f(x)')\n", silent=True)
        error = result.error_in_exec
        assert isinstance(error, checks.CheckFailure)
        text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(error._render_traceback_()))  # without colours
    finally:
        InteractiveShell.clear_instance()
    assert "checks.check_close(got, [1.0, 3.0], 'f(x)')" in text and "f(x) is wrong at 1 of 2 entries" in text
    assert "dlcourse/checks.py" not in text and "_mismatch" not in text and "def run(" not in text
