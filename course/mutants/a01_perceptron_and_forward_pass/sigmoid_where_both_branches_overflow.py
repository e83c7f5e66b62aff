"""A 'stable' sigmoid through np.where, which still evaluates the overflowing branch on every entry and warns for large |z|."""
import numpy as np


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + e^(-z)), elementwise."""
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z)))
