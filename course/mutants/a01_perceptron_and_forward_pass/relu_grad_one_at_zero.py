"""Uses z >= 0, so the derivative at the kink z = 0 is 1 instead of PyTorch's 0."""
import numpy as np


def relu_grad(z):
    """Derivative of ReLU: 1 where z > 0, 0 elsewhere (also at z = 0)."""
    return (np.asarray(z) >= 0).astype(float)
