"""Divides the central difference by eps instead of 2 eps, doubling every entry."""
import numpy as np


def gradient_check(f, x, eps=1e-6):
    """Numerical gradient of f at x by central differences, entry by entry."""
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + eps
        f_plus = float(f(x))
        x[i] = original - eps
        f_minus = float(f(x))
        x[i] = original
        grad[i] = (f_plus - f_minus) / eps
    return grad
