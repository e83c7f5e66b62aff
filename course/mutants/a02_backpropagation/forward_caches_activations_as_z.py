"""Overwrites one variable for z and a, so the cache stores the activation tanh(z) under the key z as well."""
import numpy as np


def forward(params, X):
    """Forward pass of the two-hidden-layer tanh network with a softmax output, caching z^l and a^l."""
    a = np.asarray(X, dtype=float)
    cache = {"a0": a}
    for l in (1, 2, 3):
        a = a @ params[f"W{l}"].T + params[f"b{l}"]
        if l < 3:
            a = np.tanh(a)
        else:
            e = np.exp(a - a.max(axis=1, keepdims=True))
            a = e / e.sum(axis=1, keepdims=True)
        cache[f"z{l}"], cache[f"a{l}"] = a, a
    return a, cache
