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

import numpy as np

from .._validation import check_array, check_int, check_real

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


# ---------------------------------------------------------------------------- identity
def identity(z):
    """g(z) = z, the output unit of regression. z: any shape; returns a float copy."""
    return check_array(z, "z", "identity").copy()


def identity_grad(z):
    """g'(z) = 1. z: any shape; returns ones of the same shape."""
    return np.ones_like(check_array(z, "z", "identity_grad"))


# ---------------------------------------------------------------------------- sigmoid
def sigmoid(z):
    """Logistic sigmoid g(z) = 1 / (1 + e^-z), in (0, 1). z: any shape; returns the same shape."""
    z = check_array(z, "z", "sigmoid")
    # e^-|z| lies in (0, 1], so neither branch can overflow: e^-z would above z < -709.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z):
    """g'(z) = g(z) (1 - g(z)), at most 1/4 (at z = 0). z: any shape; returns the same shape."""
    a = sigmoid(check_array(z, "z", "sigmoid_grad"))
    return a * (1.0 - a)


# ---------------------------------------------------------------------------- tanh
def tanh(z):
    """Hyperbolic tangent g(z) = (e^z - e^-z) / (e^z + e^-z), in (-1, 1). z: any shape."""
    return np.tanh(check_array(z, "z", "tanh"))


def tanh_grad(z):
    """g'(z) = 1 - tanh(z)^2. z: any shape; returns the same shape."""
    a = np.tanh(check_array(z, "z", "tanh_grad"))
    return 1.0 - a**2


# ---------------------------------------------------------------------------- hard tanh
def hard_tanh(z):
    """g(z) = -1 for z < -1, z on [-1, 1], 1 for z > 1 (F.hardtanh). z: any shape."""
    return np.clip(check_array(z, "z", "hard_tanh"), -1.0, 1.0)


def hard_tanh_grad(z):
    """g'(z) = 1 for -1 < z < 1, else 0 (0 at the kinks z = +-1, as torch). z: any shape."""
    z = check_array(z, "z", "hard_tanh_grad")
    return ((z > -1.0) & (z < 1.0)).astype(np.float64)


# ---------------------------------------------------------------------------- ReLU
def relu(z):
    """Rectified linear unit g(z) = max(0, z). z: any shape; returns the same shape."""
    return np.maximum(check_array(z, "z", "relu"), 0.0)


def relu_grad(z):
    """g'(z) = 1 for z > 0, else 0 (0 at z = 0, as torch). z: any shape."""
    return (check_array(z, "z", "relu_grad") > 0).astype(np.float64)


# ---------------------------------------------------------------------------- leaky ReLU
def leaky_relu(z, negative_slope=0.01):
    """g(z) = z for z > 0, negative_slope * z otherwise (F.leaky_relu). z: any shape."""
    z = check_array(z, "z", "leaky_relu")
    slope = check_real(negative_slope, "negative_slope", "leaky_relu", allowed="a number such as 0.01")
    return np.where(z > 0, z, slope * z)


def leaky_relu_grad(z, negative_slope=0.01):
    """g'(z) = 1 for z > 0, negative_slope otherwise (also at z = 0, as torch). z: any shape."""
    z = check_array(z, "z", "leaky_relu_grad")
    slope = check_real(negative_slope, "negative_slope", "leaky_relu_grad", allowed="a number such as 0.01")
    return np.where(z > 0, 1.0, slope)


# ---------------------------------------------------------------------------- softplus
def softplus(z):
    """Smooth ReLU g(z) = log(1 + e^z), always > 0. z: any shape; returns the same shape."""
    # log(1 + e^z) = log(e^0 + e^z); logaddexp never forms e^z, which overflows above z ~ 709.
    return np.logaddexp(0.0, check_array(z, "z", "softplus"))


def softplus_grad(z):
    """g'(z) = sigmoid(z). z: any shape; returns the same shape."""
    return sigmoid(check_array(z, "z", "softplus_grad"))


# ---------------------------------------------------------------------------- Gaussian
def gaussian(z):
    """Gaussian bump g(z) = e^(-z^2), 1 at z = 0. z: any shape; returns the same shape."""
    z = check_array(z, "z", "gaussian")
    return np.exp(-z**2)


def gaussian_grad(z):
    """g'(z) = -2 z e^(-z^2). z: any shape; returns the same shape."""
    z = check_array(z, "z", "gaussian_grad")
    return -2.0 * z * np.exp(-z**2)


# ---------------------------------------------------------------------------- softmax
def _check_axis(axis, z: np.ndarray, function: str) -> int:
    axis = check_int(axis, "axis", function)
    if z.ndim == 0:
        raise ValueError(f"{function} expects z with at least one axis (a vector of scores); got a single number.")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"{function} expects axis in [-{z.ndim}, {z.ndim}) for z of shape {z.shape}; "
                         f"got axis={axis}.")
    return axis


def softmax(z, axis=-1):
    """softmax(z)_i = e^(z_i) / sum_j e^(z_j) along ``axis``: positive, sums to 1.

    z: (..., K) scores (logits) with the K classes along ``axis``; returns the same shape.
    """
    z = check_array(z, "z", "softmax")
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
    z = check_array(z, "z", "softmax_grad")
    grad_output = check_array(grad_output, "grad_output", "softmax_grad")
    if grad_output.shape != z.shape:
        raise ValueError(f"softmax_grad expects grad_output of the same shape as z, {z.shape}; "
                         f"got shape {grad_output.shape}.")
    s = softmax(z, axis)
    return s * (grad_output - np.sum(grad_output * s, axis=axis, keepdims=True))
