"""Zeroes the negative entries of the caller's array in place (z[z < 0] = 0) and returns it: right values, damaged input."""
import numpy as np


def relu(z):
    """Rectified linear unit max(0, z), elementwise."""
    z = np.asarray(z)
    z[z < 0] = 0.0
    return z
