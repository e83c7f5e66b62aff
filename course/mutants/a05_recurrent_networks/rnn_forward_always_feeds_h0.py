"""Feeds h0 into every step instead of the state the previous step produced, so the steps never connect."""
import numpy as np


def rnn_forward(x, h0, W_xh, W_hh, b):
    """Run a tanh RNN over a batch of sequences."""
    hs = np.empty((x.shape[0], x.shape[1], W_hh.shape[0]))
    for k in range(x.shape[0]):
        hs[k] = np.tanh(x[k] @ W_xh.T + h0 @ W_hh.T + b)
    return hs, {"x": x, "h0": h0, "W_xh": W_xh, "W_hh": W_hh, "hs": hs}
