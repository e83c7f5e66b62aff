"""Stores the state before updating it, so hs[k] holds h_k (from h0 to h_(T-1)) instead of h_(k+1)."""
import numpy as np


def rnn_forward(x, h0, W_xh, W_hh, b):
    """Run a tanh RNN over a batch of sequences."""
    hs = np.empty((x.shape[0], x.shape[1], W_hh.shape[0]))
    h = h0
    for k in range(x.shape[0]):
        hs[k] = h
        h = np.tanh(x[k] @ W_xh.T + h @ W_hh.T + b)
    return hs, {"x": x, "h0": h0, "W_xh": W_xh, "W_hh": W_hh, "hs": hs}
