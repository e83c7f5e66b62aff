"""Uses z >= 0, so the derivative at z = 0 is 1 instead of negative_slope (PyTorch's choice)."""
import numpy as np


def leaky_relu_grad(z, negative_slope=0.01):
    """Derivative of leaky ReLU: 1 where z > 0, negative_slope elsewhere (also at z = 0)."""
    return np.where(np.asarray(z) >= 0, 1.0, float(negative_slope))
