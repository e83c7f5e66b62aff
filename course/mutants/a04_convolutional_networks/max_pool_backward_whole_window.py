"""Copies each window's gradient to every entry of the window, not only to its maximum."""
import numpy as np


def max_pool_backward(grad_out, x, size=2, stride=2):
    """Gradient of a loss through max pooling."""
    N, C, H_out, W_out = grad_out.shape
    grad_x = np.zeros(x.shape)
    for i in range(H_out):
        for j in range(W_out):
            grad_x[:, :, i * stride:i * stride + size, j * stride:j * stride + size] += grad_out[:, :, i, j, None, None]
    return grad_x
