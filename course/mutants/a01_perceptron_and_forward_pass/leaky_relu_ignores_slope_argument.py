"""Hard-codes the slope 0.01 and ignores the negative_slope argument."""
import numpy as np


def leaky_relu(z, negative_slope=0.01):
    """Leaky ReLU: z where z > 0, negative_slope * z elsewhere, elementwise."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.01 * z)
