"""Forgets the square: returns 1 - tanh(z) instead of 1 - tanh(z)^2."""
import numpy as np


def tanh_grad(z):
    """Derivative of tanh, 1 - tanh(z)^2, elementwise."""
    return 1.0 - np.tanh(np.asarray(z, dtype=float))
