"""Multiplies by W instead of W.T (the math habit W x carried over to torch's (n_out, n_in) layout); fails for non-square layers."""
import numpy as np


def forward(params, X):
    """Forward pass of the two-hidden-layer tanh network with a softmax output, caching z^l and a^l."""
    a = np.asarray(X, dtype=float)
    cache = {"a0": a}
    for l in (1, 2, 3):
        z = a @ params[f"W{l}"] + params[f"b{l}"]
        if l < 3:
            a = np.tanh(z)
        else:
            e = np.exp(z - z.max(axis=1, keepdims=True))
            a = e / e.sum(axis=1, keepdims=True)
        cache[f"z{l}"], cache[f"a{l}"] = z, a
    return a, cache
