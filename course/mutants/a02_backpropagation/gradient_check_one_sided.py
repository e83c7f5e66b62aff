"""Uses the one-sided difference (f(x + eps e_i) - f(x)) / eps, whose error shrinks only like eps."""
import numpy as np


def gradient_check(f, x, eps=1e-6):
    """Numerical gradient of f at x by central differences, entry by entry."""
    grad = np.zeros(x.shape)
    f_x = float(f(x))
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + eps
        f_plus = float(f(x))
        x[i] = original
        grad[i] = (f_plus - f_x) / eps
    return grad
