"""Confuses ReLU with its derivative: returns the 0/1 mask z > 0 instead of max(0, z)."""
import numpy as np


def relu(z):
    """Rectified linear unit max(0, z), elementwise."""
    return (np.asarray(z) > 0).astype(float)
