"""dlcourse.nn.regularization: dropout and DropConnect keep the mean, batch norm equals torch's."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse.checks import check_close
from dlcourse.nn import regularization
from dlcourse.nn.regularization import batch_norm_backward, batch_norm_forward, dropconnect, dropout


def test_all_lists_the_public_functions():
    assert regularization.__all__ == ["dropout", "dropconnect", "batch_norm_forward", "batch_norm_backward"]


# ---------------------------------------------------------------------------- dropout
def test_dropout_zeroes_a_fraction_p_and_scales_the_rest_by_one_over_keep():
    x = np.random.default_rng(0).uniform(1, 2, size=(200, 500))  # no zeros of its own
    y = dropout(x, 0.3, np.random.default_rng(1))
    kept = y != 0
    assert abs(1 - kept.mean() - 0.3) < 0.005  # 100,000 draws: the standard error is 0.0014
    check_close(y[kept], x[kept] / 0.7, "kept entries of dropout(x, p=0.3)")


def test_dropout_keeps_the_expected_value():
    x = np.linspace(-2, 2, 50)
    rng = np.random.default_rng(2)
    mean = np.mean([dropout(x, 0.5, rng) for _ in range(4000)], axis=0)
    check_close(mean, x, "average of 4000 dropout draws", atol=0.1)


def test_dropout_scales_and_drops_like_torch():
    torch.manual_seed(0)
    x = torch.rand(100, 100, dtype=torch.float64) + 1.0  # never exactly 0
    y_torch = F.dropout(x, p=0.25, training=True).numpy()
    y = dropout(x.numpy(), 0.25, np.random.default_rng(0))
    # the masks are different random draws; what each keeps is scaled the same way
    for name, out in (("torch", y_torch), ("dropout", y)):
        kept = out != 0
        check_close(out[kept], x.numpy()[kept] / 0.75, f"kept entries ({name})")
        assert abs(1 - kept.mean() - 0.25) < 0.015, f"{name} dropped {1 - kept.mean():.3f}, not about 0.25"


def test_dropout_in_evaluation_or_with_p_zero_returns_x():
    x = np.arange(12.0).reshape(3, 4)
    check_close(dropout(x, 0.5, np.random.default_rng(0), training=False), x, "dropout in evaluation")
    check_close(dropout(x, 0.0, np.random.default_rng(0)), x, "dropout with p = 0")


def test_dropout_is_reproducible_with_the_same_generator_seed():
    x = np.ones((5, 7))
    a = dropout(x, 0.5, np.random.default_rng(42))
    b = dropout(x, 0.5, np.random.default_rng(42))
    assert np.array_equal(a, b)


@pytest.mark.parametrize("p", [1.0, -0.1, 1.5, float("nan")])
def test_dropout_rejects_a_probability_outside_zero_one_with_a_value_error(p):
    with pytest.raises(ValueError, match=r"^dropout expects p to be a drop probability with 0 <= p < 1; got"):
        dropout(np.ones(3), p, np.random.default_rng(0))


@pytest.mark.parametrize("p", ["0.5", True, None])
def test_dropout_refuses_a_probability_that_is_not_a_number_with_a_type_error(p):
    with pytest.raises(TypeError, match=r"^dropout expects p to be a drop probability with 0 <= p < 1; got"):
        dropout(np.ones(3), p, np.random.default_rng(0))


def test_dropout_rejects_a_seed_instead_of_a_generator():
    with pytest.raises(TypeError, match=r"dropout expects rng to be a NumPy Generator .* got int"):
        dropout(np.ones(3), 0.5, 0)


# ---------------------------------------------------------------------------- DropConnect
def _dense_problem(seed=0, n=8, d_in=5, d_out=3):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d_in)), rng.normal(size=(d_out, d_in)), rng.normal(size=d_out)


def test_dropconnect_in_evaluation_equals_torch_linear():
    x, W, b = _dense_problem()
    expected = F.linear(torch.tensor(x), torch.tensor(W), torch.tensor(b)).numpy()
    check_close(dropconnect(x, W, b, 0.5, np.random.default_rng(0), training=False), expected,
                "dropconnect(training=False)")


def test_dropconnect_keeps_the_expected_pre_activation():
    x, W, b = _dense_problem(n=4)
    rng = np.random.default_rng(1)
    mean = np.mean([dropconnect(x, W, b, 0.5, rng) for _ in range(20000)], axis=0)
    check_close(mean, x @ W.T + b, "average of 20000 DropConnect draws", atol=0.08)


def test_dropconnect_draws_a_separate_mask_for_every_example():
    W = np.ones((1, 40))
    x = np.ones((2, 40))  # two identical examples
    z = dropconnect(x, W, None, 0.5, np.random.default_rng(3))
    assert z[0, 0] != z[1, 0]  # shared masks would give equal sums
    # each sum counts kept weights scaled by 2: an even whole number between 0 and 80
    assert np.allclose(z % 2, 0) and (0 <= z).all() and (z <= 80).all()


def test_dropconnect_explains_mismatched_shapes():
    x, W, b = _dense_problem()
    with pytest.raises(ValueError, match=r"dropconnect expects x of shape \(N, 5\) to match W of shape \(3, 5\); "
                                         r"got shape \(8, 4\)"):
        dropconnect(x[:, :4], W, b, 0.5, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"dropconnect expects b of shape \(3,\)"):
        dropconnect(x, W, b[:2], 0.5, np.random.default_rng(0))


# ---------------------------------------------------------------------------- batch norm
SHAPES = [(16, 6), (8, 4, 10), (4, 3, 5, 5)]


def _bn_inputs(shape, seed=0):
    rng = np.random.default_rng(seed)
    C = shape[1]
    x = rng.normal(2.0, 3.0, size=shape)
    return x, rng.uniform(0.5, 2, C), rng.normal(size=C), rng.normal(size=C), rng.uniform(0.5, 2, C)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_batch_norm_training_matches_torch_including_running_statistics(shape):
    x, gamma, beta, mean0, var0 = _bn_inputs(shape)
    running_mean, running_var = mean0.copy(), var0.copy()
    torch_mean, torch_var = torch.tensor(mean0), torch.tensor(var0)
    for step in range(3):  # three batches: the running averages compound
        xb = x + step
        y = batch_norm_forward(xb, gamma, beta, running_mean, running_var, training=True, momentum=0.2)
        expected = F.batch_norm(torch.tensor(xb), torch_mean, torch_var, torch.tensor(gamma), torch.tensor(beta),
                                training=True, momentum=0.2, eps=1e-5)
        check_close(y, expected.numpy(), f"batch_norm_forward output, batch {step}", rtol=1e-10, atol=1e-12)
    check_close(running_mean, torch_mean.numpy(), "running_mean", rtol=1e-12)
    check_close(running_var, torch_var.numpy(), "running_var (unbiased)", rtol=1e-12)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_batch_norm_evaluation_uses_the_running_statistics_like_torch(shape):
    x, gamma, beta, mean0, var0 = _bn_inputs(shape, seed=1)
    y = batch_norm_forward(x, gamma, beta, mean0.copy(), var0.copy(), training=False)
    expected = F.batch_norm(torch.tensor(x), torch.tensor(mean0), torch.tensor(var0), torch.tensor(gamma),
                            torch.tensor(beta), training=False)
    check_close(y, expected.numpy(), "batch_norm_forward(training=False)", rtol=1e-10, atol=1e-12)


def test_batch_norm_output_has_zero_mean_and_unit_variance_per_channel_without_affine():
    x, *_ = _bn_inputs((32, 5), seed=2)
    y = batch_norm_forward(x, eps=1e-12)
    check_close(y.mean(axis=0), np.zeros(5), "per-channel mean", atol=1e-12)
    check_close(y.var(axis=0), np.ones(5), "per-channel variance", rtol=1e-9)


def test_batch_norm_without_running_arrays_leaves_nothing_to_update():
    x, gamma, beta, *_ = _bn_inputs((10, 3))
    y = batch_norm_forward(x, gamma, beta)  # running_mean = running_var = None, as torch allows
    expected = F.batch_norm(torch.tensor(x), None, None, torch.tensor(gamma), torch.tensor(beta), training=True)
    check_close(y, expected.numpy(), "batch_norm_forward without running statistics", rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_batch_norm_backward_matches_torch_autograd(shape):
    x, gamma, beta, *_ = _bn_inputs(shape, seed=3)
    grad_y = np.random.default_rng(4).normal(size=shape)
    xt, gt, bt = (torch.tensor(a, requires_grad=True) for a in (x, gamma, beta))
    F.batch_norm(xt, None, None, gt, bt, training=True, eps=1e-5).backward(torch.tensor(grad_y))
    grad_x, grad_gamma, grad_beta = batch_norm_backward(grad_y, x, gamma, eps=1e-5)
    check_close(grad_x, xt.grad.numpy(), "grad_x", rtol=1e-8, atol=1e-10)
    check_close(grad_gamma, gt.grad.numpy(), "grad_gamma", rtol=1e-8, atol=1e-10)
    check_close(grad_beta, bt.grad.numpy(), "grad_beta", rtol=1e-8, atol=1e-10)


def test_batch_norm_rejects_parameters_of_the_wrong_size():
    x, gamma, *_ = _bn_inputs((10, 3))
    with pytest.raises(ValueError, match=r"batch_norm_forward expects gamma of shape \(3,\), one value per channel "
                                         r"of x \(shape \(10, 3\)\); got shape \(4,\)"):
        batch_norm_forward(x, np.ones(4))


def test_batch_norm_rejects_running_statistics_it_cannot_update_in_place():
    x, *_ = _bn_inputs((10, 3))
    with pytest.raises(TypeError, match=r"running_mean to be a float NumPy array of shape \(3,\), which it updates "
                                        r"in place; got list"):
        batch_norm_forward(x, running_mean=[0.0, 0.0, 0.0], running_var=np.ones(3))
    with pytest.raises(ValueError, match=r"running_var to be a float NumPy array of shape \(3,\), which it updates "
                                         r"in place; got an array of shape \(3,\) and dtype int64"):
        batch_norm_forward(x, running_mean=np.zeros(3), running_var=np.ones(3, dtype=int))


def test_batch_norm_needs_running_statistics_in_evaluation():
    with pytest.raises(ValueError, match=r"training=False normalises with the running statistics"):
        batch_norm_forward(np.ones((4, 2)), training=False)


def test_batch_norm_refuses_a_single_value_per_channel_in_training_like_torch():
    with pytest.raises(ValueError, match=r"more than one value per channel in training mode; x of shape \(1, 3\)"):
        batch_norm_forward(np.ones((1, 3)))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
        F.batch_norm(torch.ones(1, 3), None, None, training=True)


def test_batch_norm_rejects_a_vector():
    with pytest.raises(ValueError, match=r"expects x of shape \(N, C\), \(N, C, L\) or \(N, C, H, W\); "
                                         r"got shape \(5,\)"):
        batch_norm_forward(np.ones(5))
