"""Uses tanh(z) = 2 sigma(z) - 1, forgetting that the identity needs sigma(2z); the result is tanh(z / 2)."""
import numpy as np


def tanh(z):
    """Hyperbolic tangent (e^z - e^(-z)) / (e^z + e^(-z)), elementwise."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return 2.0 * s - 1.0
