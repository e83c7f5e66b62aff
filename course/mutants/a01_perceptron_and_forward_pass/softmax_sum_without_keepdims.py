"""Forgets keepdims=True on the row sum, so for a batch the (n,) sums broadcast against the wrong axis."""
import numpy as np


def softmax(z):
    """Softmax over the last axis: e^(z_i) / sum_j e^(z_j), computed stably."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1)
