"""Copies the lecture's W^T literally, delta_next @ W_next.T: wrong for square layers, a shape error otherwise."""
import numpy as np


def hidden_delta(delta_next, W_next, z):
    """BP2 through a tanh layer: Delta^l = (Delta^(l+1) @ W_(l+1)) * (1 - tanh(z^l)^2)."""
    return (delta_next @ W_next.T) * (1.0 - np.tanh(z) ** 2)
