"""Activation functions a = g(z) and their derivatives dA/dz (lecture 03).

Each activation works elementwise on an array z of any shape and returns an array of the
same shape; its twin ``<name>_grad(z)`` returns the derivative g'(z) at every entry, so
backpropagation multiplies it into the incoming gradient: ``delta = grad_a * g'(z)``.
Softmax is the exception: it mixes the entries along an axis, so ``softmax_grad`` takes the
incoming gradient and returns the vector-Jacobian product.

The values and derivatives follow PyTorch (``torch.sigmoid``, ``F.hardtanh``, ``F.relu``,
...), including the derivative chosen at a kink (ReLU: 0 at z = 0). Every function is safe
for large |z|: no intermediate exp overflows, even at z = +-1000.
"""
from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "identity", "identity_grad",
    "sigmoid", "sigmoid_grad",
    "tanh", "tanh_grad",
    "hard_tanh", "hard_tanh_grad",
    "relu", "relu_grad",
    "leaky_relu", "leaky_relu_grad",
    "softplus", "softplus_grad",
    "gaussian", "gaussian_grad",
    "softmax", "softmax_grad",
]


def _as_array(z, function: str, argument: str = "z") -> np.ndarray:
    """Return z as a float64 array, or raise a TypeError naming the function."""
    try:
        array = np.asarray(z)
    except Exception:  # e.g. a torch tensor that requires grad, a ragged list
        array = None
    if array is None or array.dtype.kind not in "biuf":
        raise TypeError(
            f"{function} expects {argument} to be a number or an array of real numbers "
            f"(a list or a NumPy array); got {_describe(z, array)}."
        )
    return array.astype(np.float64)


def _describe(z, array) -> str:
    if z is None:
        return "None"
    if array is None or array.ndim == 0:
        return type(z).__name__
    contents = {"U": "strings", "S": "bytes", "O": "non-numbers such as None", "c": "complex numbers"}
    return f"{type(z).__name__} of {contents.get(array.dtype.kind, array.dtype)}"


# ---------------------------------------------------------------------------- identity
def identity(z):
    """g(z) = z, the output unit of regression. z: any shape; returns a float copy."""
    return _as_array(z, "identity").copy()


def identity_grad(z):
    """g'(z) = 1. z: any shape; returns ones of the same shape."""
    return np.ones_like(_as_array(z, "identity_grad"))


# ---------------------------------------------------------------------------- sigmoid
def sigmoid(z):
    """Logistic sigmoid g(z) = 1 / (1 + e^-z), in (0, 1). z: any shape; returns the same shape."""
    z = _as_array(z, "sigmoid")
    # e^-|z| lies in (0, 1], so neither branch can overflow: e^-z would above z < -709.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z):
    """g'(z) = g(z) (1 - g(z)), at most 1/4 (at z = 0). z: any shape; returns the same shape."""
    a = sigmoid(_as_array(z, "sigmoid_grad"))
    return a * (1.0 - a)


# ---------------------------------------------------------------------------- tanh
def tanh(z):
    """Hyperbolic tangent g(z) = (e^z - e^-z) / (e^z + e^-z), in (-1, 1). z: any shape."""
    return np.tanh(_as_array(z, "tanh"))


def tanh_grad(z):
    """g'(z) = 1 - tanh(z)^2. z: any shape; returns the same shape."""
    a = np.tanh(_as_array(z, "tanh_grad"))
    return 1.0 - a**2


# ---------------------------------------------------------------------------- hard tanh
def hard_tanh(z):
    """g(z) = -1 for z < -1, z on [-1, 1], 1 for z > 1 (F.hardtanh). z: any shape."""
    return np.clip(_as_array(z, "hard_tanh"), -1.0, 1.0)


def hard_tanh_grad(z):
    """g'(z) = 1 for -1 < z < 1, else 0 (0 at the kinks z = +-1, as torch). z: any shape."""
    z = _as_array(z, "hard_tanh_grad")
    return ((z > -1.0) & (z < 1.0)).astype(np.float64)


# ---------------------------------------------------------------------------- ReLU
def relu(z):
    """Rectified linear unit g(z) = max(0, z). z: any shape; returns the same shape."""
    return np.maximum(_as_array(z, "relu"), 0.0)


def relu_grad(z):
    """g'(z) = 1 for z > 0, else 0 (0 at z = 0, as torch). z: any shape."""
    return (_as_array(z, "relu_grad") > 0).astype(np.float64)


# ---------------------------------------------------------------------------- leaky ReLU
def _check_slope(negative_slope, function: str) -> float:
    if isinstance(negative_slope, bool) or not isinstance(negative_slope, numbers.Real):
        raise TypeError(f"{function} expects negative_slope to be a number such as 0.01; "
                        f"got {type(negative_slope).__name__}.")
    return float(negative_slope)


def leaky_relu(z, negative_slope=0.01):
    """g(z) = z for z > 0, negative_slope * z otherwise (F.leaky_relu). z: any shape."""
    z = _as_array(z, "leaky_relu")
    slope = _check_slope(negative_slope, "leaky_relu")
    return np.where(z > 0, z, slope * z)


def leaky_relu_grad(z, negative_slope=0.01):
    """g'(z) = 1 for z > 0, negative_slope otherwise (also at z = 0, as torch). z: any shape."""
    z = _as_array(z, "leaky_relu_grad")
    slope = _check_slope(negative_slope, "leaky_relu_grad")
    return np.where(z > 0, 1.0, slope)


# ---------------------------------------------------------------------------- softplus
def softplus(z):
    """Smooth ReLU g(z) = log(1 + e^z), always > 0. z: any shape; returns the same shape."""
    # log(1 + e^z) = log(e^0 + e^z); logaddexp never forms e^z, which overflows above z ~ 709.
    return np.logaddexp(0.0, _as_array(z, "softplus"))


def softplus_grad(z):
    """g'(z) = sigmoid(z). z: any shape; returns the same shape."""
    return sigmoid(_as_array(z, "softplus_grad"))


# ---------------------------------------------------------------------------- Gaussian
def gaussian(z):
    """Gaussian bump g(z) = e^(-z^2), 1 at z = 0. z: any shape; returns the same shape."""
    z = _as_array(z, "gaussian")
    return np.exp(-z**2)


def gaussian_grad(z):
    """g'(z) = -2 z e^(-z^2). z: any shape; returns the same shape."""
    z = _as_array(z, "gaussian_grad")
    return -2.0 * z * np.exp(-z**2)


# ---------------------------------------------------------------------------- softmax
def _check_axis(axis, z: np.ndarray, function: str) -> int:
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{function} expects axis to be an integer; got {type(axis).__name__}.")
    if z.ndim == 0:
        raise ValueError(f"{function} expects z with at least one axis (a vector of scores); got a single number.")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"{function} expects axis in [-{z.ndim}, {z.ndim}) for z of shape {z.shape}; "
                         f"got axis={axis}.")
    return int(axis)


def softmax(z, axis=-1):
    """softmax(z)_i = e^(z_i) / sum_j e^(z_j) along ``axis``: positive, sums to 1.

    z: (..., K) scores (logits) with the K classes along ``axis``; returns the same shape.
    """
    z = _as_array(z, "softmax")
    axis = _check_axis(axis, z, "softmax")
    # softmax(z) = softmax(z - c) for any c; with c = max(z) every exponent is <= 0, so e^z
    # cannot overflow (it would above z ~ 709) and the largest term is exactly 1.
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def softmax_grad(z, grad_output, axis=-1):
    """Gradient with respect to z, given grad_output = dL/ds for s = softmax(z, axis).

    Vector-Jacobian product with the Jacobian ds_i/dz_j = s_i (delta_ij - s_j):
    dL/dz_j = s_j (dL/ds_j - sum_i dL/ds_i s_i).
    z, grad_output: the same shape (..., K); returns that shape.
    """
    z = _as_array(z, "softmax_grad")
    grad_output = _as_array(grad_output, "softmax_grad", "grad_output")
    if grad_output.shape != z.shape:
        raise ValueError(f"softmax_grad expects grad_output of the same shape as z, {z.shape}; "
                         f"got shape {grad_output.shape}.")
    s = softmax(z, axis)
    return s * (grad_output - np.sum(grad_output * s, axis=axis, keepdims=True))
