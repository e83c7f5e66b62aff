"""Loss functions L(prediction, target) and their gradients dL/dprediction (lecture 03).

Every loss returns one number, the mean over all entries (or over the batch for the
probabilistic ones), as PyTorch's default ``reduction="mean"`` does; its twin
``<name>_grad(prediction, target)`` returns dL/dprediction with the prediction's shape, so
the 1/N of the mean is already in it and backpropagation starts from it as is (BP1).

| loss | prediction | target | equals |
|---|---|---|---|
| ``mse``, ``mae`` | real values | real values | ``F.mse_loss``, ``F.l1_loss`` |
| ``msle`` | values > -1 | values > -1 | Keras' MSLE (for values >= 0) |
| ``mape`` | real values | positive values | Keras' MAPE (in percent) |
| ``hinge``, ``exponential``, ``logistic`` | real scores | labels -1 or +1 | ``logistic`` = ``F.soft_margin_loss`` |
| ``binary_cross_entropy`` | probabilities | probabilities | ``F.binary_cross_entropy`` |
| ``cross_entropy`` | logits (N, K) | class indices (N,) or probabilities (N, K) | ``F.cross_entropy`` |
| ``kl_divergence`` | distributions (N, K) | distributions (N, K) | ``F.kl_div(log p, t, reduction="batchmean")`` |

Kinks take torch's subgradient where torch has the operation: 0 for |p - t| at p = t (MAE,
MAPE). Hinge has no torch twin; at the kink t p = 1 it takes 0, the slope of the flat side
(as ``F.relu(1 - t * p)`` does). Nothing warns or overflows for large inputs such as
logits of 1e3; a loss that truly exceeds the float range (the exponential loss below a
margin of about -709, a probability of 0 for an observed class in KL) is returned as inf,
as torch returns it.
"""
from __future__ import annotations

import numpy as np

from .._validation import check_array
from .activations import sigmoid, softmax

__all__ = [
    "mse", "mse_grad",
    "mae", "mae_grad",
    "msle", "msle_grad",
    "mape", "mape_grad",
    "hinge", "hinge_grad",
    "exponential", "exponential_grad",
    "logistic", "logistic_grad",
    "binary_cross_entropy", "binary_cross_entropy_grad",
    "cross_entropy", "cross_entropy_grad",
    "kl_divergence", "kl_divergence_grad",
]

# torch clamps log(p) at -100 in binary_cross_entropy, so p = 0 costs 100, not inf,
# and divides its gradient by max(p (1 - p), 1e-12), its 1e-12 being a float32 constant
# (aten/src/ATen/native/Loss.cpp); the same rounded value gives the same gradient at p = 0, 1.
_LOG_FLOOR = -100.0
_BCE_EPSILON = float(np.float32(1e-12))


# ---------------------------------------------------------------------------- validation
def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def _pair(prediction, target, function: str):
    """Both arguments as float64 arrays of one shape with at least one entry."""
    p = check_array(prediction, "prediction", function)
    t = check_array(target, "target", function)
    if p.shape != t.shape:
        raise ValueError(f"{function} expects target of the same shape as prediction, {p.shape}; "
                         f"got shape {t.shape}.")
    if p.size == 0:
        raise ValueError(f"{function} expects at least one prediction; got an empty array of shape {p.shape}.")
    return p, t


def _check_labels(t: np.ndarray, function: str) -> None:
    if not np.all((t == 1) | (t == -1)):
        found = np.unique(t)[:5]
        hint = " Turn 0/1 labels y into -1/+1 with t = 2 * y - 1." if np.all((t == 0) | (t == 1)) else ""
        raise ValueError(f"{function} expects target labels -1 or +1; got values {found.tolist()}.{hint}")


def _check_probabilities(x: np.ndarray, function: str, argument: str) -> None:
    # written so that NaN fails too
    if not np.all((x >= 0) & (x <= 1)):
        bad = x[~((x >= 0) & (x <= 1))]
        raise ValueError(f"{function} expects {argument} to be probabilities in [0, 1]; "
                         f"got {_entries(bad.size)} outside, e.g. {bad[0]:.4g}.")


def _check_distributions(p: np.ndarray, t: np.ndarray, function: str) -> None:
    if p.ndim != 2:
        raise ValueError(f"{function} expects prediction of shape (N, K), one distribution per row; "
                         f"got shape {p.shape}. For a single distribution pass prediction[None].")
    _check_probabilities(p, function, "prediction")
    _check_probabilities(t, function, "target")


# ---------------------------------------------------------------------------- regression
def mse(prediction, target) -> float:
    """Mean squared error, mean (p - t)^2 (``F.mse_loss``). prediction, target: the same shape."""
    p, t = _pair(prediction, target, "mse")
    return float(np.mean((p - t) ** 2))


def mse_grad(prediction, target):
    """dMSE/dp = 2 (p - t) / n, n = number of entries. Returns prediction's shape."""
    p, t = _pair(prediction, target, "mse_grad")
    return 2.0 * (p - t) / p.size


def mae(prediction, target) -> float:
    """Mean absolute error, mean |p - t| (``F.l1_loss``). prediction, target: the same shape."""
    p, t = _pair(prediction, target, "mae")
    return float(np.mean(np.abs(p - t)))


def mae_grad(prediction, target):
    """dMAE/dp = sign(p - t) / n, with 0 at p = t (torch's choice). Returns prediction's shape."""
    p, t = _pair(prediction, target, "mae_grad")
    return np.sign(p - t) / p.size


def _check_above_minus_one(p: np.ndarray, t: np.ndarray, function: str) -> None:
    for argument, x in (("prediction", p), ("target", t)):
        bad = x[~(x > -1)]  # written so that NaN is caught too
        if bad.size:
            raise ValueError(f"{function} expects {argument} greater than -1 (it takes log(1 + x)); "
                             f"got {_entries(bad.size)} <= -1, e.g. {bad[0]:.4g}.")


def msle(prediction, target) -> float:
    """Mean squared logarithmic error, mean (log(1 + p) - log(1 + t))^2 (Keras' MSLE).

    Compares ratios rather than differences, so it suits positive quantities spanning
    orders of magnitude (prices, counts). prediction, target: the same shape, entries > -1.
    (Keras also clips p below at 1e-7; here negative values above -1 are taken as they are.)
    """
    p, t = _pair(prediction, target, "msle")
    _check_above_minus_one(p, t, "msle")
    return float(np.mean((np.log1p(p) - np.log1p(t)) ** 2))


def msle_grad(prediction, target):
    """dMSLE/dp = 2 (log(1 + p) - log(1 + t)) / ((1 + p) n). Returns prediction's shape."""
    p, t = _pair(prediction, target, "msle_grad")
    _check_above_minus_one(p, t, "msle_grad")
    return 2.0 * (np.log1p(p) - np.log1p(t)) / ((1.0 + p) * p.size)


def _check_positive(t: np.ndarray, function: str) -> None:
    bad = t[~(t > 0)]
    if bad.size:
        raise ValueError(f"{function} expects positive targets (it divides by them); "
                         f"got {_entries(bad.size)} <= 0, e.g. {bad[0]:.4g}.")


def mape(prediction, target) -> float:
    """Mean absolute percentage error, 100 mean |(t - p) / t| (Keras' MAPE), in percent.

    prediction, target: the same shape; target > 0.
    """
    p, t = _pair(prediction, target, "mape")
    _check_positive(t, "mape")
    return float(100.0 * np.mean(np.abs((t - p) / t)))


def mape_grad(prediction, target):
    """dMAPE/dp = 100 sign(p - t) / (t n), with 0 at p = t. Returns prediction's shape."""
    p, t = _pair(prediction, target, "mape_grad")
    _check_positive(t, "mape_grad")
    return 100.0 * np.sign(p - t) / (t * p.size)


# ---------------------------------------------------------------------------- margin losses
# Scores p are real numbers, labels t are -1 or +1, and the margin m = t p is positive
# exactly when the sign of the score is right. Each loss is a decreasing function of m.
def hinge(prediction, target) -> float:
    """Hinge loss, mean max(0, 1 - t p): zero only beyond a margin of 1 (support vector machines).

    prediction: real scores; target: labels -1 or +1 of the same shape.
    """
    p, t = _pair(prediction, target, "hinge")
    _check_labels(t, "hinge")
    return float(np.mean(np.maximum(0.0, 1.0 - t * p)))


def hinge_grad(prediction, target):
    """d/dp = -t / n where t p < 1, else 0 (also 0 at the kink t p = 1). Returns prediction's shape."""
    p, t = _pair(prediction, target, "hinge_grad")
    _check_labels(t, "hinge_grad")
    return np.where(t * p < 1.0, -t, 0.0) / p.size


def exponential(prediction, target) -> float:
    """Exponential loss, mean exp(-t p) (AdaBoost's loss). Grows fast for wrong signs.

    prediction: real scores; target: labels -1 or +1 of the same shape. Margins below about
    -709 give inf: exp overflows float64 there, and the loss truly is that large.
    """
    p, t = _pair(prediction, target, "exponential")
    _check_labels(t, "exponential")
    with np.errstate(over="ignore"):
        return float(np.mean(np.exp(-t * p)))


def exponential_grad(prediction, target):
    """d/dp = -t exp(-t p) / n. Returns prediction's shape."""
    p, t = _pair(prediction, target, "exponential_grad")
    _check_labels(t, "exponential_grad")
    with np.errstate(over="ignore"):
        return -t * np.exp(-t * p) / p.size


def logistic(prediction, target) -> float:
    """Logistic loss, mean log(1 + exp(-t p)) (``F.soft_margin_loss``), natural log.

    prediction: real scores; target: labels -1 or +1 of the same shape.
    Equal to binary cross-entropy of sigmoid(p) with the 0/1 label (t + 1) / 2.
    """
    p, t = _pair(prediction, target, "logistic")
    _check_labels(t, "logistic")
    # log(e^0 + e^-m) without forming e^-m, which overflows for margins m below about -709
    return float(np.mean(np.logaddexp(0.0, -t * p)))


def logistic_grad(prediction, target):
    """d/dp = -t sigmoid(-t p) / n. Returns prediction's shape."""
    p, t = _pair(prediction, target, "logistic_grad")
    _check_labels(t, "logistic_grad")
    return -t * sigmoid(-t * p) / p.size


# ---------------------------------------------------------------------------- probabilistic losses
def binary_cross_entropy(prediction, target) -> float:
    """Binary cross-entropy, -mean [t log p + (1 - t) log(1 - p)] (``F.binary_cross_entropy``).

    The negative log-likelihood of Bernoulli labels. prediction: probabilities p in [0, 1]
    (a sigmoid output); target: the same shape, in [0, 1] (0/1 labels or soft labels).
    As torch, each log is clamped at -100, so a confident wrong answer costs 100, not inf.
    """
    p, t = _pair(prediction, target, "binary_cross_entropy")
    _check_probabilities(p, "binary_cross_entropy", "prediction")
    _check_probabilities(t, "binary_cross_entropy", "target")
    with np.errstate(divide="ignore"):  # log(0) = -inf, then clamped
        log_p = np.maximum(np.log(p), _LOG_FLOOR)
        log_1mp = np.maximum(np.log1p(-p), _LOG_FLOOR)
    return float(-np.mean(t * log_p + (1.0 - t) * log_1mp))


def binary_cross_entropy_grad(prediction, target):
    """d/dp = (p - t) / (p (1 - p) n), with p (1 - p) floored at 1e-12 as torch does.

    Returns prediction's shape. The floor keeps the gradient finite at p = 0 or 1.
    """
    p, t = _pair(prediction, target, "binary_cross_entropy_grad")
    _check_probabilities(p, "binary_cross_entropy_grad", "prediction")
    _check_probabilities(t, "binary_cross_entropy_grad", "target")
    return (p - t) / (np.maximum(p * (1.0 - p), _BCE_EPSILON) * p.size)


def _logits_and_target(logits, target, function: str):
    """Logits (N, K) and the target as probabilities (N, K), one-hot for class indices."""
    z = check_array(logits, "logits", function)
    if z.ndim != 2 or z.shape[0] == 0 or z.shape[1] == 0:
        raise ValueError(f"{function} expects logits of shape (N, K), one row of K class scores per example; "
                         f"got shape {z.shape}. For a single example pass logits[None].")
    n, k = z.shape
    t = check_array(target, "target", function)
    if t.shape == (n,):
        if not np.all(t == np.round(t)) or not np.all((t >= 0) & (t < k)):
            raise ValueError(f"{function} expects target class indices, whole numbers in 0..{k - 1}; "
                             f"got values from {np.nanmin(t):g} to {np.nanmax(t):g}.")
        onehot = np.zeros((n, k))
        onehot[np.arange(n), t.astype(np.int64)] = 1.0
        return z, onehot
    if t.shape == (n, k):
        _check_probabilities(t, function, "target")
        return z, t
    raise ValueError(f"{function} expects target of shape ({n},) with class indices or ({n}, {k}) with "
                     f"probabilities; got shape {t.shape}.")


def _log_softmax(z: np.ndarray) -> np.ndarray:
    # log softmax(z)_k = z_k - logsumexp(z); with the max subtracted every exponent is <= 0,
    # so nothing overflows and the largest term is exactly 1 (the sum is >= 1, its log >= 0).
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def cross_entropy(logits, target) -> float:
    """Categorical cross-entropy of softmax(logits), -mean_n sum_k t_nk log softmax(z_n)_k (``F.cross_entropy``).

    logits: (N, K) raw class scores z (no softmax applied); target: (N,) class indices in
    0..K-1, or (N, K) class probabilities. With indices it is the negative log-likelihood
    -mean_n log softmax(z_n)_{y_n}. Computed with log-sum-exp, so logits of 1e3 are fine.
    """
    z, t = _logits_and_target(logits, target, "cross_entropy")
    return float(-np.sum(t * _log_softmax(z)) / z.shape[0])


def cross_entropy_grad(logits, target):
    """dL/dz = (softmax(z) * sum_k t_k - t) / N, i.e. (softmax(z) - onehot) / N for class indices.

    logits: (N, K); target as in ``cross_entropy``. Returns (N, K).
    """
    z, t = _logits_and_target(logits, target, "cross_entropy_grad")
    return (softmax(z, axis=1) * t.sum(axis=1, keepdims=True) - t) / z.shape[0]


def kl_divergence(prediction, target) -> float:
    """Kullback-Leibler divergence KL(target || prediction), averaged over the batch.

    mean_n sum_k t_nk log(t_nk / p_nk) = ``F.kl_div(log(p), t, reduction="batchmean")``.
    prediction, target: (N, K), one distribution per row, entries in [0, 1]. Terms with
    t = 0 count 0 (0 log 0 = 0), whatever p is; p = 0 where t > 0 gives inf.
    """
    p, t = _pair(prediction, target, "kl_divergence")
    _check_distributions(p, t, "kl_divergence")
    positive = t > 0
    # the logs only see entries with t > 0 (the others are replaced by 1 and dropped)
    t_safe, p_safe = np.where(positive, t, 1.0), np.where(positive, p, 1.0)
    with np.errstate(divide="ignore"):  # p = 0 under t > 0: log(t / 0) = inf, the true value
        terms = np.where(positive, t * (np.log(t_safe) - np.log(p_safe)), 0.0)
    return float(terms.sum() / p.shape[0])


def kl_divergence_grad(prediction, target):
    """dKL/dp = -t / (p N), and 0 where t = 0. prediction, target: (N, K); returns (N, K)."""
    p, t = _pair(prediction, target, "kl_divergence_grad")
    _check_distributions(p, t, "kl_divergence_grad")
    positive = t > 0
    with np.errstate(divide="ignore"):  # p = 0 under t > 0: -inf, as the loss is inf there
        return np.where(positive, -t / np.where(positive, p, 1.0), 0.0) / p.shape[0]
