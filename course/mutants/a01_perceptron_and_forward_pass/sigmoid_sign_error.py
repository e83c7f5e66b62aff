"""Drops the minus sign in the exponent, computing 1 / (1 + e^z) = sigma(-z)."""
import numpy as np


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + e^(-z)), elementwise."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))
