"""Adds all 2p rows and columns of zeros below and to the right of the image instead of p on every side."""
import numpy as np


def conv2d_forward(x, w, b, stride=1, padding=0):
    """Forward pass of a convolutional layer."""
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    H_out = (H + 2 * padding - k) // stride + 1
    W_out = (W + 2 * padding - k) // stride + 1
    x_pad = np.pad(x, ((0, 0), (0, 0), (0, 2 * padding), (0, 2 * padding)))
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * stride:i * stride + k, j * stride:j * stride + k]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out
