"""Applies the formula s (1 - s) to the pre-activation z itself instead of to s = sigma(z)."""
import numpy as np


def sigmoid_grad(z):
    """Derivative of the sigmoid, sigma(z) * (1 - sigma(z)), elementwise."""
    z = np.asarray(z, dtype=float)
    return z * (1.0 - z)
