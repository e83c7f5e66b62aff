"""Starts each window's running maximum at 0, so a window of negative values gives 0."""
import numpy as np


def max_pool_forward(x, size=2, stride=2):
    """Max pooling."""
    N, C, H, W = x.shape
    H_out = (H - size) // stride + 1
    W_out = (W - size) // stride + 1
    out = np.zeros((N, C, H_out, W_out))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    best = 0.0
                    for m in range(size):
                        for q in range(size):
                            best = max(best, x[n, c, i * stride + m, j * stride + q])
                    out[n, c, i, j] = best
    return out
