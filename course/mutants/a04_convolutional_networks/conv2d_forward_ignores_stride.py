"""Always slides the filter one pixel at a time, whatever the stride."""
import numpy as np


def conv2d_forward(x, w, b, stride=1, padding=0):
    """Forward pass of a convolutional layer."""
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    H_out = H + 2 * padding - k + 1
    W_out = W + 2 * padding - k + 1
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    out[n, f, i, j] = np.sum(x_pad[n, :, i:i + k, j:j + k] * w[f]) + b[f]
    return out
