"""Averages the errors over the batch although the 1/N of the mean loss is already inside delta: divides by N twice."""
import numpy as np


def bias_gradient(delta):
    """BP3: dC/db^l, the sum of the errors Delta^l over the examples of the batch."""
    return np.mean(delta, axis=0)
