"""Returns sigma(z) instead of sigma(z) (1 - sigma(z)): the factor (1 - sigma(z)) is missing."""
import numpy as np


def sigmoid_grad(z):
    """Derivative of the sigmoid, sigma(z) * (1 - sigma(z)), elementwise."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
