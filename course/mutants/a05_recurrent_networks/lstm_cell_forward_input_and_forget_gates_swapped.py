"""Reads the gate blocks in the order f, i, g, o, swapping the input and forget gates of torch's i, f, g, o."""
import numpy as np


def lstm_cell_forward(x, h, c, W_ih, W_hh, b_ih, b_hh):
    """One step of an LSTM cell."""
    H = h.shape[1]
    A = x @ W_ih.T + b_ih + h @ W_hh.T + b_hh
    A_f, A_i, A_g, A_o = A[:, :H], A[:, H:2 * H], A[:, 2 * H:3 * H], A[:, 3 * H:]
    i, f, o = 1 / (1 + np.exp(-A_i)), 1 / (1 + np.exp(-A_f)), 1 / (1 + np.exp(-A_o))
    c_next = f * c + i * np.tanh(A_g)
    return o * np.tanh(c_next), c_next
