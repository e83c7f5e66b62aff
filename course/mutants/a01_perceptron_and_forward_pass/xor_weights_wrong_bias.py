"""Leaves out the -1 bias of the second hidden unit (c = [0, 0]), so both units fire alike and the output is wrong."""
import numpy as np


def xor_weights():
    """Weights of a 2-2-1 ReLU network f(x) = w . max(0, W^T x + c) + b that computes XOR."""
    return np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([0.0, 0.0]), np.array([1.0, -2.0]), 0.0
