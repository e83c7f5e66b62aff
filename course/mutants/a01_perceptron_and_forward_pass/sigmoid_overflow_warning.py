"""The textbook formula 1 / (1 + e^(-z)) as written: right values, but e^(-z) overflows (with a RuntimeWarning) for z < -709."""
import numpy as np


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + e^(-z)), elementwise."""
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
