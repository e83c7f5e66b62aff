"""dlcourse.nn.activations: values and derivatives equal PyTorch's, and stay finite for large |z|."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import dlcourse.nn.activations as activations
from dlcourse.checks import check_close
from dlcourse.nn.activations import softmax, softmax_grad

# (name, numpy function, numpy derivative, the same function in torch)
ELEMENTWISE = [
    ("identity", activations.identity, activations.identity_grad, lambda z: z * 1.0),
    ("sigmoid", activations.sigmoid, activations.sigmoid_grad, torch.sigmoid),
    ("tanh", activations.tanh, activations.tanh_grad, torch.tanh),
    ("hard_tanh", activations.hard_tanh, activations.hard_tanh_grad, F.hardtanh),
    ("relu", activations.relu, activations.relu_grad, F.relu),
    ("leaky_relu", activations.leaky_relu, activations.leaky_relu_grad, F.leaky_relu),
    ("softplus", activations.softplus, activations.softplus_grad, F.softplus),
    ("gaussian", activations.gaussian, activations.gaussian_grad, lambda z: torch.exp(-z**2)),
]
IDS = [name for name, *_ in ELEMENTWISE]


def inputs(seed=0):
    """Random z of shape (4, 25): moderate values, huge ones, and the kinks -1, 0, 1 exactly."""
    rng = np.random.default_rng(seed)
    z = np.concatenate([rng.normal(0, 3, 60), rng.uniform(-1000, 1000, 30),
                        [-1000.0, -750.0, -40.0, -1.0, 0.0, 1.0, 40.0, 750.0, 1000.0, -0.0]])
    return rng.permutation(z).reshape(4, 25)


def no_overflow():
    # Overflow, 0/0 and inf - inf raise; underflow to 0 is the right answer (e^-2000 is 0 in
    # float64) and numpy ignores it by default, so it is allowed.
    return np.errstate(all="raise", under="ignore")


def torch_value_and_grad(torch_fn, z):
    t = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    a = torch_fn(t)
    a.sum().backward()  # elementwise, so d(sum a)/dz_i = g'(z_i)
    return a.detach().numpy(), t.grad.numpy()


def test_all_lists_every_activation_and_its_derivative():
    names = [name for name, *_ in ELEMENTWISE] + ["softmax"]
    assert activations.__all__ == [f for name in names for f in (name, f"{name}_grad")]


@pytest.mark.parametrize("name, fn, grad_fn, torch_fn", ELEMENTWISE, ids=IDS)
def test_activation_and_derivative_match_torch_without_overflow(name, fn, grad_fn, torch_fn):
    z = inputs()
    expected, expected_grad = torch_value_and_grad(torch_fn, z)
    with no_overflow():
        a, grad = fn(z), grad_fn(z)
    check_close(a, expected, f"{name}(z)", rtol=1e-7, atol=1e-12)
    # softplus: torch returns z itself above z = 20 (its threshold), where the exact slope is 1 - 2e-9
    check_close(grad, expected_grad, f"{name}_grad(z)", rtol=1e-7, atol=1e-8)
    assert a.dtype == grad.dtype == np.float64


@pytest.mark.parametrize("name, fn, grad_fn, torch_fn", ELEMENTWISE, ids=IDS)
def test_activation_accepts_lists_and_scalars(name, fn, grad_fn, torch_fn):
    expected, expected_grad = torch_value_and_grad(torch_fn, np.array([-2.0, 0.5, 3.0]))
    check_close(fn([-2, 0.5, 3]), expected, f"{name}(list)", rtol=1e-7)
    check_close(grad_fn([-2, 0.5, 3]), expected_grad, f"{name}_grad(list)", rtol=1e-7)
    assert np.shape(fn(0.5)) == np.shape(grad_fn(0.5)) == ()


def test_kinks_follow_torch_relu_zero_leaky_slope_hard_tanh_zero():
    z = np.array([-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(activations.relu_grad(z), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(activations.leaky_relu_grad(z), [0.01, 0.01, 1.0])
    np.testing.assert_array_equal(activations.hard_tanh_grad(z), [0.0, 1.0, 0.0])


def test_leaky_relu_uses_the_given_negative_slope():
    z = inputs(1)
    for slope in (0.2, 0.0, 1.5):
        expected, expected_grad = torch_value_and_grad(lambda t: F.leaky_relu(t, negative_slope=slope), z)
        check_close(activations.leaky_relu(z, negative_slope=slope), expected, f"leaky_relu(z, {slope})")
        check_close(activations.leaky_relu_grad(z, slope), expected_grad, f"leaky_relu_grad(z, {slope})")


def test_derivatives_match_finite_differences():
    z = np.random.default_rng(2).normal(0, 2, 50)
    z = z[np.abs(np.abs(z) - 1) > 1e-3]  # away from the kinks at -1, 0, 1
    z = z[np.abs(z) > 1e-3]
    h = 1e-6
    for name, fn, grad_fn, _ in ELEMENTWISE:
        numerical = (fn(z + h) - fn(z - h)) / (2 * h)
        check_close(grad_fn(z), numerical, f"{name}_grad(z)", rtol=1e-5, atol=1e-8)


def test_sigmoid_and_softplus_saturate_exactly_for_large_inputs():
    z = np.array([-1000.0, 1000.0])
    with no_overflow():
        np.testing.assert_array_equal(activations.sigmoid(z), [0.0, 1.0])
        np.testing.assert_array_equal(activations.softplus(z), [0.0, 1000.0])
        np.testing.assert_array_equal(activations.sigmoid_grad(z), [0.0, 0.0])


# ------------------------------------------------------------------ softmax
@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_matches_torch_and_rows_sum_to_one(axis):
    z = inputs(3).reshape(4, 5, 5)
    with no_overflow():
        s = softmax(z, axis=axis)
    check_close(s, torch.softmax(torch.tensor(z), dim=axis).numpy(), "softmax(z)", rtol=1e-7, atol=1e-15)
    check_close(s.sum(axis=axis), np.ones(np.delete(z.shape, axis)), "softmax(z).sum(axis)", rtol=1e-12)
    assert np.all(s >= 0)


def test_softmax_is_stable_for_large_logits():
    z = np.array([[1000.0, 999.0, -1000.0], [-1000.0, -1000.0, -1000.0]])
    with no_overflow():
        s = softmax(z)
    check_close(s, [[1 / (1 + np.exp(-1)), 1 / (1 + np.e), 0.0], [1 / 3, 1 / 3, 1 / 3]], "softmax(z)", atol=1e-15)


@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_grad_is_torch_autograd_vector_jacobian_product(axis):
    rng = np.random.default_rng(4)
    z = np.concatenate([rng.normal(0, 3, (5, 4)), rng.uniform(-1000, 1000, (3, 4))])  # (8, 4)
    grad_output = rng.normal(size=z.shape)
    t = torch.tensor(z, requires_grad=True)
    torch.softmax(t, dim=axis).backward(torch.tensor(grad_output))
    with no_overflow():
        grad = softmax_grad(z, grad_output, axis=axis)
    check_close(grad, t.grad.numpy(), "softmax_grad(z, grad_output)", rtol=1e-7, atol=1e-12)


def test_softmax_grad_of_a_uniform_upstream_gradient_is_zero():
    # softmax sums to 1 whatever z is, so adding the same amount to every dL/ds changes nothing
    z = np.random.default_rng(5).normal(size=(3, 6))
    check_close(softmax_grad(z, np.ones_like(z)), np.zeros_like(z), "softmax_grad(z, ones)", atol=1e-15)


# ------------------------------------------------------------------ input validation
@pytest.mark.parametrize("bad, described", [("abc", "str"), (None, "NoneType"), ({"z": 1}, "dict"),
                                            (["a", "b"], "list"), ([1, None], "list"), ("1.5", "str")])
def test_a_non_numeric_input_is_a_type_error_saying_what_is_expected(bad, described):
    with pytest.raises(TypeError, match=rf"^relu expects z to be a NumPy array of numbers; got {described}\.$"):
        activations.relu(bad)


def test_bad_arguments_of_leaky_relu_and_softmax_are_explained():
    with pytest.raises(TypeError, match="leaky_relu expects negative_slope to be a number such as 0.01; got '0.1'"):
        activations.leaky_relu([1.0], negative_slope="0.1")
    with pytest.raises(ValueError, match=r"softmax expects axis in \[-2, 2\) for z of shape \(2, 3\); got axis=2"):
        softmax(np.zeros((2, 3)), axis=2)
    with pytest.raises(ValueError, match="softmax_grad expects grad_output of the same shape as z"):
        softmax_grad(np.zeros((2, 3)), np.zeros(3))
    with pytest.raises(TypeError, match="softmax_grad expects grad_output to be a NumPy array of numbers"):
        softmax_grad(np.zeros(3), "x")


def test_softmax_refuses_a_float_axis_with_a_type_error_and_an_axis_out_of_range_with_a_value_error():
    with pytest.raises(TypeError, match=r"^softmax expects axis to be an integer; got 1\.0\.$"):
        softmax(np.zeros((2, 3)), axis=1.0)
    with pytest.raises(ValueError, match=r"^softmax expects axis in"):
        softmax(np.zeros((2, 3)), axis=-3)


def test_leaky_relu_refuses_an_infinite_slope_with_a_value_error():
    with pytest.raises(ValueError, match=r"^leaky_relu expects negative_slope to be a number such as 0\.01; "
                                         r"got inf\.$"):
        activations.leaky_relu([1.0], negative_slope=float("inf"))
