"""Steps by the window size and ignores the stride argument, so overlapping windows are never formed."""
import numpy as np


def max_pool_forward(x, size=2, stride=2):
    """Max pooling."""
    N, C, H, W = x.shape
    H_out, W_out = H // size, W // size
    out = np.empty((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * size:(i + 1) * size, j * size:(j + 1) * size].max(axis=(2, 3))
    return out
