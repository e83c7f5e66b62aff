"""Loops over a flattened copy of x and calls f with a 1-D vector, which breaks any f that needs x's shape (a weight matrix)."""
import numpy as np


def gradient_check(f, x, eps=1e-6):
    """Numerical gradient of f at x by central differences, entry by entry."""
    flat = x.ravel().copy()
    grad = np.zeros(flat.shape)
    for i in range(flat.size):
        step = np.zeros(flat.shape)
        step[i] = eps
        grad[i] = (float(f(flat + step)) - float(f(flat - step))) / (2 * eps)
    return grad.reshape(x.shape)
