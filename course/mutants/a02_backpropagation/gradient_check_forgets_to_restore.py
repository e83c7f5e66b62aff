"""Perturbs x in place and never puts the entries back, so x ends eps lower everywhere (and later entries are measured at a shifted point)."""
import numpy as np


def gradient_check(f, x, eps=1e-6):
    """Numerical gradient of f at x by central differences, entry by entry."""
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        x[i] += eps
        f_plus = float(f(x))
        x[i] -= 2 * eps
        f_minus = float(f(x))
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad
