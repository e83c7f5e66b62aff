"""Dropout, DropConnect and batch normalisation in NumPy (lecture 06).

Dropout (Srivastava et al. 2014) silences each unit with probability p during training;
DropConnect (Wan et al. 2013) silences each *connection* (weight) instead. Both use
"inverted" scaling: what survives is divided by the keep probability 1 - p, so the expected
value of every output is unchanged and the network is used as it is at test time::

    m ~ Bernoulli(1 - p)                  # one mask entry per unit (dropout) or weight (DropConnect)
    y = m * x / (1 - p)                   # dropout, training
    y = x                                 # dropout, evaluation

Batch normalisation (Ioffe & Szegedy 2015) standardises every channel over the mini-batch,
then lets the network choose its scale and shift::

    mu    = mean_i x_i                    # BN1  mini-batch mean
    var   = mean_i (x_i - mu)^2           # BN2  mini-batch variance (biased)
    x_hat = (x - mu) / sqrt(var + eps)    # BN3  normalise
    y     = gamma * x_hat + beta          # BN4  scale and shift

At test time the running averages of mu and of the *unbiased* variance, collected during
training, replace the batch statistics. Values, running-statistics updates and gradients
follow ``torch.nn.functional.batch_norm``.
"""
from __future__ import annotations

import numpy as np

from .._validation import check_array, check_flag, check_instance, check_real

__all__ = ["dropout", "dropconnect", "batch_norm_forward", "batch_norm_backward"]


# ---------------------------------------------------------------------------- validation
def _check_probability(p, function: str) -> float:
    return check_real(p, "p", function, minimum=0, maximum=1, open_maximum=True,
                      allowed="a drop probability with 0 <= p < 1")


def _check_rng(rng, function: str) -> np.random.Generator:
    return check_instance(rng, "rng", function, np.random.Generator,
                          "a NumPy Generator such as np.random.default_rng(0)")


# ---------------------------------------------------------------------------- dropout
def dropout(x, p, rng, training=True):
    """Inverted dropout: zero each entry of x with probability p, scale survivors by 1/(1 - p).

    x: any shape (typically (N, units) activations); p: drop probability in [0, 1);
    rng: ``np.random.Generator`` that draws the mask; training: False returns x unchanged.
    Returns an array of x's shape whose expected value equals x.
    """
    x = check_array(x, "x", "dropout")
    p = _check_probability(p, "dropout")
    rng = _check_rng(rng, "dropout")
    if not check_flag(training, "training", "dropout") or p == 0:
        return x.copy()
    keep = rng.random(x.shape) >= p  # P(keep) = 1 - p
    # dividing by 1 - p now means nothing has to be rescaled at test time
    return np.where(keep, x / (1.0 - p), 0.0)


# ---------------------------------------------------------------------------- DropConnect
def dropconnect(x, W, b, p, rng, training=True):
    """A dense layer x @ W.T + b whose weights are dropped independently for every example.

    x: (N, d_in) inputs; W: (d_out, d_in) weights (torch's nn.Linear layout); b: (d_out,) or
    None; p: drop probability of each weight in [0, 1); rng: ``np.random.Generator``.
    During training example n sees its own mask M_n ~ Bernoulli(1 - p) of W's shape and
    z_n = (M_n * W) x_n / (1 - p) + b; the bias is never dropped. In evaluation z = x @ W.T + b,
    the mean of the training-time layer. The 1 / (1 - p) scaling is inverted dropout's trick,
    not Wan et al.'s (2013) rule: they train without it and, at test time, approximate each
    unit's input by a Gaussian with the mean and variance of the masked sum, sample it, apply
    the activation and average.
    Returns (N, d_out) pre-activations.
    """
    x = check_array(x, "x", "dropconnect")
    W = check_array(W, "W", "dropconnect")
    if W.ndim != 2:
        raise ValueError(f"dropconnect expects W of shape (d_out, d_in); got shape {W.shape}.")
    if x.ndim != 2 or x.shape[1] != W.shape[1]:
        raise ValueError(f"dropconnect expects x of shape (N, {W.shape[1]}) to match W of shape {W.shape}; "
                         f"got shape {x.shape}.")
    if b is None:
        b = np.zeros(W.shape[0])
    b = check_array(b, "b", "dropconnect")
    if b.shape != (W.shape[0],):
        raise ValueError(f"dropconnect expects b of shape ({W.shape[0]},) to match W of shape {W.shape}; "
                         f"got shape {b.shape}.")
    p = _check_probability(p, "dropconnect")
    rng = _check_rng(rng, "dropconnect")
    if not check_flag(training, "training", "dropconnect") or p == 0:
        return x @ W.T + b
    keep = rng.random((x.shape[0], *W.shape)) >= p  # (N, d_out, d_in): one mask per example
    W_dropped = np.where(keep, W / (1.0 - p), 0.0)   # (N, d_out, d_in)
    return np.einsum("noi,ni->no", W_dropped, x) + b  # (N, d_out)


# ---------------------------------------------------------------------------- batch norm
def _channel_axes(x: np.ndarray, function: str) -> tuple[int, ...]:
    """The axes batch norm averages over: all but the channel axis 1."""
    if x.ndim < 2:
        raise ValueError(f"{function} expects x of shape (N, C), (N, C, L) or (N, C, H, W); got shape {x.shape}.")
    return (0, *range(2, x.ndim))


def _per_channel(value, x: np.ndarray, function: str, name: str, default: float) -> np.ndarray:
    """A (C,) parameter as float64, filled with ``default`` when None."""
    channels = x.shape[1]
    if value is None:
        return np.full(channels, default)
    array = check_array(value, name, function)
    if array.shape != (channels,):
        raise ValueError(f"{function} expects {name} of shape ({channels},), one value per channel of x "
                         f"(shape {x.shape}); got shape {array.shape}.")
    return array


def _broadcast(v: np.ndarray, ndim: int) -> np.ndarray:
    """(C,) -> (1, C, 1, ...) so it broadcasts against x of ``ndim`` axes."""
    return v.reshape(1, -1, *([1] * (ndim - 2)))


def _check_running(value, x: np.ndarray, name: str) -> np.ndarray | None:
    if value is None:
        return None
    allowed = f"a float NumPy array of shape ({x.shape[1]},), which it updates in place"
    check_instance(value, name, "batch_norm_forward", np.ndarray, allowed)
    if value.dtype.kind != "f" or value.shape != (x.shape[1],):
        raise ValueError(f"batch_norm_forward expects {name} to be {allowed}; got an array of shape {value.shape} "
                         f"and dtype {value.dtype}.")
    return value


def batch_norm_forward(x, gamma=None, beta=None, running_mean=None, running_var=None,
                       training=True, momentum=0.1, eps=1e-5):
    """Batch normalisation of x per channel (axis 1), as ``torch.nn.functional.batch_norm``.

    x: (N, C) activations of a dense layer, or (N, C, L) / (N, C, H, W) feature maps, whose
    statistics are taken over every axis but C. gamma, beta: (C,) scale and shift (None
    means 1 and 0). running_mean, running_var: (C,) float arrays or None.
    training=True normalises with the mini-batch statistics (BN1-BN4) and, if running
    arrays are given, updates them *in place* as torch does:
    ``running <- (1 - momentum) * running + momentum * batch``, with the unbiased variance.
    training=False normalises with running_mean and running_var instead.
    Returns y of x's shape (float64).
    """
    x = check_array(x, "x", "batch_norm_forward")
    axes = _channel_axes(x, "batch_norm_forward")
    gamma = _per_channel(gamma, x, "batch_norm_forward", "gamma", 1.0)
    beta = _per_channel(beta, x, "batch_norm_forward", "beta", 0.0)
    running_mean = _check_running(running_mean, x, "running_mean")
    running_var = _check_running(running_var, x, "running_var")
    training = check_flag(training, "training", "batch_norm_forward")
    momentum = check_real(momentum, "momentum", "batch_norm_forward", minimum=0, maximum=1)
    eps = check_real(eps, "eps", "batch_norm_forward", minimum=0, open_minimum=True)
    m = x.size // x.shape[1]  # values per channel
    if training:
        if m < 2:
            raise ValueError(f"batch_norm_forward needs more than one value per channel in training mode; "
                             f"x of shape {x.shape} has {m}. Use a larger batch or training=False.")
        mu = x.mean(axis=axes)                                        # BN1 (C,)
        var = ((x - _broadcast(mu, x.ndim)) ** 2).mean(axis=axes)     # BN2 (C,), biased
        if running_mean is not None:
            running_mean *= 1.0 - momentum
            running_mean += momentum * mu
        if running_var is not None:
            running_var *= 1.0 - momentum
            running_var += momentum * var * m / (m - 1)  # the running estimate is unbiased
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm_forward with training=False normalises with the running statistics; "
                             "pass running_mean and running_var (collected during training).")
        mu, var = running_mean, running_var
    x_hat = (x - _broadcast(mu, x.ndim)) / np.sqrt(_broadcast(var, x.ndim) + eps)  # BN3
    return _broadcast(gamma, x.ndim) * x_hat + _broadcast(beta, x.ndim)           # BN4


def batch_norm_backward(grad_y, x, gamma=None, eps=1e-5):
    """Gradients of training-mode batch norm, given grad_y = dL/dy.

    grad_y, x: the same shape (N, C, ...); gamma: (C,) or None (meaning 1); eps as in the
    forward pass. The batch statistics are recomputed from x, so no cache is needed.
    Returns (grad_x, grad_gamma, grad_beta) with shapes x.shape, (C,), (C,). Because mu and
    var depend on every example, grad_x mixes the whole batch:
    grad_x = gamma / sqrt(var + eps) * (grad_y - mean(grad_y) - x_hat * mean(grad_y * x_hat)).
    """
    x = check_array(x, "x", "batch_norm_backward")
    grad_y = check_array(grad_y, "grad_y", "batch_norm_backward")
    if grad_y.shape != x.shape:
        raise ValueError(f"batch_norm_backward expects grad_y of x's shape {x.shape}; got shape {grad_y.shape}.")
    axes = _channel_axes(x, "batch_norm_backward")
    gamma = _per_channel(gamma, x, "batch_norm_backward", "gamma", 1.0)
    eps = check_real(eps, "eps", "batch_norm_backward", minimum=0, open_minimum=True)
    mu = x.mean(axis=axes, keepdims=True)                    # BN1
    var = ((x - mu) ** 2).mean(axis=axes, keepdims=True)     # BN2
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv_std                               # BN3
    grad_beta = grad_y.sum(axis=axes)                        # from BN4
    grad_gamma = (grad_y * x_hat).sum(axis=axes)             # from BN4
    grad_x_hat = grad_y * _broadcast(gamma, x.ndim)
    # the chain rule through BN3, BN2 and BN1 at once: subtract what moves mu and var
    grad_x = inv_std * (grad_x_hat - grad_x_hat.mean(axis=axes, keepdims=True)
                        - x_hat * (grad_x_hat * x_hat).mean(axis=axes, keepdims=True))
    return grad_x, grad_gamma, grad_beta
