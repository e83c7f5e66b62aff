"""Sends the gradient back with delta_t W_hh^T (the column form's W_hh^T copied into the row form) instead of delta_t W_hh."""
import numpy as np


def rnn_backward(dh, cache):
    """Backpropagation through time for rnn_forward."""
    x, h0, W_xh, W_hh, hs = (cache[key] for key in ("x", "h0", "W_xh", "W_hh", "hs"))
    grads = {"x": np.zeros(x.shape), "W_xh": np.zeros(W_xh.shape), "W_hh": np.zeros(W_hh.shape), "b": np.zeros(W_hh.shape[0])}
    dh_from_next = np.zeros(h0.shape)
    for k in reversed(range(len(x))):
        h_prev = hs[k - 1] if k > 0 else h0
        delta = (dh[k] + dh_from_next) * (1.0 - hs[k] ** 2)
        grads["x"][k] = delta @ W_xh
        grads["W_xh"] += delta.T @ x[k]
        grads["W_hh"] += delta.T @ h_prev
        grads["b"] += delta.sum(axis=0)
        dh_from_next = delta @ W_hh.T
    grads["h0"] = dh_from_next
    return grads
