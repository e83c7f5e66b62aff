"""Normalises the softmax over the whole batch (np.sum without axis) instead of over each row."""
import numpy as np


def forward(params, X):
    """Forward pass of the two-hidden-layer tanh network with a softmax output, caching z^l and a^l."""
    a = np.asarray(X, dtype=float)
    cache = {"a0": a}
    for l in (1, 2, 3):
        z = a @ params[f"W{l}"].T + params[f"b{l}"]
        if l < 3:
            a = np.tanh(z)
        else:
            e = np.exp(z - z.max())
            a = e / np.sum(e)
        cache[f"z{l}"], cache[f"a{l}"] = z, a
    return a, cache
