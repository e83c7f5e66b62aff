"""dlcourse.nn.losses: every loss and its gradient equal PyTorch's (autograd for the gradient),
stay finite and silent for extreme inputs, and reject bad input with a one-sentence ValueError."""
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import dlcourse.nn.losses as losses
from dlcourse.checks import check_close, check_gradient


def _labels(rng, shape):
    return rng.choice([-1.0, 1.0], size=shape)


def _regression(rng):
    p, t = rng.normal(0, 2, (6, 5)), rng.normal(0, 2, (6, 5))
    p[0, :3] = t[0, :3]  # exact ties: the kink of |p - t|
    return p, t


def _positive(rng):
    p, t = rng.uniform(0, 20, (6, 5)), rng.uniform(0.5, 20, (6, 5))
    p[0, :3] = t[0, :3]
    return p, t


def _margins(rng):
    t = _labels(rng, (6, 5))
    p = rng.normal(0, 2, (6, 5))
    p[0, :2] = t[0, :2]  # margin t p = 1 exactly: the kink of the hinge
    return p, t


def _probabilities(rng):
    p, t = rng.uniform(0.001, 0.999, (6, 5)), rng.uniform(0, 1, (6, 5))
    t[1] = rng.integers(0, 2, 5)  # hard 0/1 labels in one row
    p[0, :4] = [0.0, 1.0, 0.0, 1.0]  # the edges, where torch clamps the log and floors the gradient
    t[0, :4] = [0.0, 1.0, 1.0, 0.0]
    return p, t


def _distributions(rng):
    p, t = rng.dirichlet(np.ones(5), 6), rng.dirichlet(np.ones(5), 6)
    t[0] = [0.0, 0.5, 0.0, 0.5, 0.0]  # zero targets: 0 log 0 = 0
    return p, t


# (name, inputs, the same loss in torch as a function of (prediction, target) tensors)
CASES = [
    ("mse", _regression, F.mse_loss),
    ("mae", _regression, F.l1_loss),
    ("msle", _positive, lambda p, t: ((torch.log1p(p) - torch.log1p(t)) ** 2).mean()),
    ("mape", _positive, lambda p, t: 100 * torch.mean(torch.abs((t - p) / t))),
    ("hinge", _margins, lambda p, t: F.relu(1 - t * p).mean()),
    ("exponential", _margins, lambda p, t: torch.exp(-t * p).mean()),
    ("logistic", _margins, F.soft_margin_loss),
    ("binary_cross_entropy", _probabilities, F.binary_cross_entropy),
    ("kl_divergence", _distributions, lambda p, t: F.kl_div(p.log(), t, reduction="batchmean")),
]
IDS = [name for name, *_ in CASES]


def torch_loss_and_grad(torch_fn, prediction, target):
    p = torch.tensor(prediction, dtype=torch.float64, requires_grad=True)
    loss = torch_fn(p, torch.as_tensor(target))
    loss.backward()
    return loss.item(), p.grad.numpy()


def silent():
    # overflow, 0/0 and inf - inf raise; underflow to 0 is the right answer and allowed
    return np.errstate(all="raise", under="ignore")


def test_all_lists_every_loss_and_its_gradient():
    names = ["mse", "mae", "msle", "mape", "hinge", "exponential", "logistic",
             "binary_cross_entropy", "cross_entropy", "kl_divergence"]
    assert losses.__all__ == [f for name in names for f in (name, f"{name}_grad")]


@pytest.mark.parametrize("name, make_inputs, torch_fn", CASES, ids=IDS)
@pytest.mark.parametrize("seed", [0, 1])
def test_loss_and_gradient_match_torch_autograd(name, make_inputs, torch_fn, seed):
    prediction, target = make_inputs(np.random.default_rng(seed))
    expected, expected_grad = torch_loss_and_grad(torch_fn, prediction, target)
    loss, grad = getattr(losses, name), getattr(losses, f"{name}_grad")
    with silent():
        value, gradient = loss(prediction, target), grad(prediction, target)
    assert type(value) is float
    check_close(value, expected, f"{name}(p, t)", rtol=1e-10, atol=1e-12)
    check_close(gradient, expected_grad, f"{name}_grad(p, t)", rtol=1e-9, atol=1e-12)
    assert gradient.dtype == np.float64


@pytest.mark.parametrize("seed", [0, 1])
def test_cross_entropy_matches_torch_with_class_indices_and_with_probabilities(seed):
    rng = np.random.default_rng(seed)
    logits = np.concatenate([rng.normal(0, 3, (6, 4)), rng.uniform(-1000, 1000, (2, 4))])  # (8, 4)
    indices = rng.integers(0, 4, 8)
    probabilities = rng.dirichlet(np.ones(4), 8)
    for target, torch_target in [(indices, torch.tensor(indices)), (probabilities, torch.tensor(probabilities))]:
        expected, expected_grad = torch_loss_and_grad(F.cross_entropy, logits, torch_target)
        with silent():
            value, gradient = losses.cross_entropy(logits, target), losses.cross_entropy_grad(logits, target)
        check_close(value, expected, "cross_entropy(z, t)", rtol=1e-10)
        check_close(gradient, expected_grad, "cross_entropy_grad(z, t)", rtol=1e-9, atol=1e-15)


def test_cross_entropy_grad_is_softmax_minus_onehot_over_batch_size():
    logits = np.array([[2.0, 0.0, -1.0], [0.0, 0.0, 0.0]])
    softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    onehot = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    check_close(losses.cross_entropy_grad(logits, [1, 2]), (softmax - onehot) / 2, "cross_entropy_grad", rtol=1e-12)
    # the same target given as one-hot probabilities, and as whole-number floats
    check_close(losses.cross_entropy_grad(logits, onehot), (softmax - onehot) / 2, "cross_entropy_grad", rtol=1e-12)
    assert losses.cross_entropy(logits, np.array([1.0, 2.0])) == losses.cross_entropy(logits, [1, 2])


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(3)
    smooth = [("mse", _regression), ("msle", _positive), ("exponential", _margins), ("logistic", _margins),
              ("kl_divergence", _distributions)]
    for name, make_inputs in smooth:
        prediction, target = make_inputs(rng)
        loss, grad = getattr(losses, name), getattr(losses, f"{name}_grad")
        check_gradient(lambda p: loss(p, target), prediction.copy(), grad(prediction, target), name=f"{name}_grad")
    p, t = rng.uniform(0.05, 0.95, (4, 3)), rng.uniform(0, 1, (4, 3))
    check_gradient(lambda q: losses.binary_cross_entropy(q, t), p, losses.binary_cross_entropy_grad(p, t),
                   name="binary_cross_entropy_grad")
    z, y = rng.normal(size=(4, 3)), rng.integers(0, 3, 4)
    check_gradient(lambda q: losses.cross_entropy(q, y), z, losses.cross_entropy_grad(z, y), name="cross_entropy_grad")


def test_subgradients_at_kinks_mae_zero_at_ties_hinge_zero_at_margin_one():
    np.testing.assert_array_equal(losses.mae_grad([1.0, 2.0, 0.0], [1.0, 0.0, 2.0]), [0.0, 1 / 3, -1 / 3])
    np.testing.assert_array_equal(losses.mape_grad([2.0, 3.0], [2.0, 2.0]), [0.0, 100 / 4])
    np.testing.assert_array_equal(losses.hinge_grad([1.0, -1.0, 0.5, 2.0], [1.0, -1.0, 1.0, 1.0]),
                                  [0.0, 0.0, -0.25, 0.0])


# ------------------------------------------------------------------ stability
def test_cross_entropy_is_stable_for_extreme_logits():
    logits = np.array([[1000.0, 999.0, -1000.0], [-1000.0, -1000.0, -1000.0], [1e3, -1e3, 0.0]])
    with silent(), warnings.catch_warnings():
        warnings.simplefilter("error")
        value = losses.cross_entropy(logits, [1, 0, 1])
        gradient = losses.cross_entropy_grad(logits, [1, 0, 1])
    # row 1: -log softmax = log(1 + e) - 0 ... exactly: log(e^1000 + e^999 + e^-1000) - 999
    expected = (np.log1p(np.exp(1.0)) + np.log(3.0) + 2000.0) / 3
    check_close(value, expected, "cross_entropy(extreme logits)", rtol=1e-12)
    assert np.all(np.isfinite(gradient))
    check_close(gradient.sum(axis=1), np.zeros(3), "rows of cross_entropy_grad", atol=1e-15)


def test_margin_and_probability_losses_stay_silent_for_extreme_inputs():
    with silent(), warnings.catch_warnings():
        warnings.simplefilter("error")
        assert losses.logistic([1000.0, -1000.0], [-1.0, 1.0]) == 1000.0  # torch overflows to inf here
        check_close(losses.logistic_grad([1000.0, -1000.0], [-1.0, 1.0]), [0.5, -0.5], "logistic_grad")
        assert losses.logistic([1000.0], [1.0]) == 0.0
        assert losses.exponential([1000.0], [-1.0]) == np.inf  # e^1000 is beyond float64: the honest answer
        assert losses.exponential([1000.0], [1.0]) == 0.0
        assert losses.binary_cross_entropy([0.0, 1.0], [1.0, 0.0]) == 100.0  # log clamped at -100, as torch
        assert np.all(np.isfinite(losses.binary_cross_entropy_grad([0.0, 1.0], [1.0, 0.0])))
        assert losses.kl_divergence([[0.0, 1.0]], [[0.0, 1.0]]) == 0.0  # 0 log 0 = 0 (torch gives nan)
        assert losses.kl_divergence([[0.0, 1.0]], [[0.5, 0.5]]) == np.inf
        np.testing.assert_array_equal(losses.kl_divergence_grad([[0.0, 1.0]], [[0.0, 1.0]]), [[0.0, -1.0]])


def test_logistic_loss_is_binary_cross_entropy_of_the_sigmoid():
    rng = np.random.default_rng(4)
    p, t = rng.normal(0, 3, 20), _labels(rng, 20)
    sigmoid = 1 / (1 + np.exp(-p))
    check_close(losses.logistic(p, t), losses.binary_cross_entropy(sigmoid, (t + 1) / 2), "logistic(p, t)", rtol=1e-10)


def test_kl_divergence_is_cross_entropy_minus_entropy():
    rng = np.random.default_rng(5)
    p, t = rng.dirichlet(np.ones(6), 4), rng.dirichlet(np.ones(6), 4)
    cross = -np.sum(t * np.log(p)) / 4
    entropy = -np.sum(t * np.log(t)) / 4
    check_close(losses.kl_divergence(p, t), cross - entropy, "kl_divergence(p, t)", rtol=1e-10)
    assert losses.kl_divergence(t, t) == pytest.approx(0.0, abs=1e-15)


@pytest.mark.slow
def test_msle_and_mape_match_keras_for_positive_values():
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(6)
    p, t = rng.uniform(0.1, 10, (8, 3)), rng.uniform(0.5, 10, (8, 3))
    msle = keras.losses.MeanSquaredLogarithmicError()(t, p)  # keras: (y_true, y_pred), float32
    mape = keras.losses.MeanAbsolutePercentageError()(t, p)
    check_close(losses.msle(p, t), float(msle), "msle(p, t)", rtol=1e-5)
    check_close(losses.mape(p, t), float(mape), "mape(p, t)", rtol=1e-5)


def test_losses_accept_lists_and_scalars():
    assert losses.mse([1, 2], [1, 4]) == 2.0
    assert losses.mae(3, 1) == 2.0
    assert np.shape(losses.mse_grad(3.0, 1.0)) == ()
    assert losses.hinge_grad([[0.5]], [[1]]).shape == (1, 1)


# ------------------------------------------------------------------ input validation
def test_shape_mismatch_is_explained():
    with pytest.raises(ValueError, match=r"^mse expects target of the same shape as prediction, \(4, 3\); "
                                         r"got shape \(4,\)\.$"):
        losses.mse(np.zeros((4, 3)), np.zeros(4))
    with pytest.raises(ValueError, match="kl_divergence_grad expects target of the same shape as prediction"):
        losses.kl_divergence_grad(np.full((2, 3), 1 / 3), np.full((3, 2), 0.5))
    with pytest.raises(ValueError, match=r"mae expects at least one prediction; got an empty array of shape \(0,\)"):
        losses.mae([], [])


@pytest.mark.parametrize("name", ["hinge", "exponential", "logistic", "hinge_grad", "logistic_grad"])
def test_margin_losses_require_labels_minus_one_or_plus_one(name):
    with pytest.raises(ValueError, match=rf"^{name} expects target labels -1 or \+1; got values \[0\.0, 1\.0\]\. "
                                         r"Turn 0/1 labels y into -1/\+1 with t = 2 \* y - 1\.$"):
        getattr(losses, name)([0.3, -0.2, 1.0], [0, 1, 1])
    with pytest.raises(ValueError, match=rf"^{name} expects target labels -1 or \+1; got values \[-1\.0, 0\.5\]\.$"):
        getattr(losses, name)([0.3, -0.2], [0.5, -1])


def test_cross_entropy_explains_bad_logits_and_targets():
    with pytest.raises(ValueError, match=r"^cross_entropy expects target of shape \(4,\) with class indices or "
                                         r"\(4, 3\) with probabilities; got shape \(4, 2\)\.$"):
        losses.cross_entropy(np.zeros((4, 3)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"cross_entropy expects target class indices, whole numbers in 0\.\.2; "
                                         r"got values from 0 to 3\."):
        losses.cross_entropy(np.zeros((2, 3)), [0, 3])
    with pytest.raises(ValueError, match="whole numbers in 0..2; got values from 0 to 1.5"):
        losses.cross_entropy_grad(np.zeros((2, 3)), [0.0, 1.5])
    with pytest.raises(ValueError, match=r"cross_entropy expects logits of shape \(N, K\), one row of K class "
                                         r"scores per example; got shape \(3,\)\. "
                                         r"For a single example pass logits\[None\]"):
        losses.cross_entropy(np.zeros(3), 0)
    with pytest.raises(ValueError, match=r"cross_entropy expects target to be probabilities in \[0, 1\]; "
                                         r"got 1 entry outside, e.g. 2"):
        losses.cross_entropy(np.zeros((1, 2)), [[2.0, -0.0]])


def test_probability_losses_reject_values_outside_zero_one():
    with pytest.raises(ValueError, match=r"^binary_cross_entropy expects prediction to be probabilities in \[0, 1\]; "
                                         r"got 1 entry outside, e.g. 1\.5\.$"):
        losses.binary_cross_entropy([0.5, 1.5], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"binary_cross_entropy_grad expects target to be probabilities in \[0, 1\]"):
        losses.binary_cross_entropy_grad([0.5, 0.5], [0.0, -1.0])
    with pytest.raises(ValueError, match=r"binary_cross_entropy expects prediction to be probabilities.*e\.g\. nan"):
        losses.binary_cross_entropy([np.nan], [1.0])
    with pytest.raises(ValueError, match=r"kl_divergence expects prediction of shape \(N, K\), one distribution per "
                                         r"row; got shape \(3,\)\. For a single distribution pass prediction\[None\]"):
        losses.kl_divergence([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match=r"kl_divergence expects prediction to be probabilities in \[0, 1\]"):
        losses.kl_divergence([[2.0, -1.0]], [[0.5, 0.5]])  # e.g. logits passed by mistake


def test_mape_and_msle_explain_their_domains():
    with pytest.raises(ValueError, match=r"^mape expects positive targets \(it divides by them\); "
                                         r"got 2 entries <= 0, e.g. 0\.$"):
        losses.mape([1.0, 2.0, 3.0], [0.0, 1.0, -2.0])
    with pytest.raises(ValueError, match=r"^msle expects prediction greater than -1 \(it takes log\(1 \+ x\)\); "
                                         r"got 1 entry <= -1, e.g. -2\.$"):
        losses.msle([-2.0, 1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match=r"msle_grad expects target greater than -1"):
        losses.msle_grad([1.0], [-1.0])


def test_non_numeric_input_raises_type_error_naming_the_argument():
    with pytest.raises(TypeError, match=r"^mse expects target to be a NumPy array of numbers; got list\.$"):
        losses.mse([1.0], ["a"])
    with pytest.raises(TypeError, match=r"^cross_entropy expects logits to be a NumPy array of numbers; "
                                        r"got NoneType\.$"):
        losses.cross_entropy(None, [0])
