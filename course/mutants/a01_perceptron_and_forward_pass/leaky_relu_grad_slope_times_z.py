"""Differentiates wrongly on the negative side, returning negative_slope * z (the activation) instead of negative_slope."""
import numpy as np


def leaky_relu_grad(z, negative_slope=0.01):
    """Derivative of leaky ReLU: 1 where z > 0, negative_slope elsewhere (also at z = 0)."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, negative_slope * z)
