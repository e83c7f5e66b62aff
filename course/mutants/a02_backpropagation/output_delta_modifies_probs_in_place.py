"""Subtracts the one-hot labels from the caller's probs in place (probs[range(N), y] -= 1): right values, damaged input."""
FUNCTION = "output_delta"
EDITS = [
    ("    delta = np.array(probs, dtype=float)  # a copy: the caller's probs stay as they were\n"
     "    n = delta.shape[0]\n"
     "    delta[np.arange(n), y] -= 1.0  # a^L - onehot(y)\n"
     "    return delta / n  # BP1; 1/N because C is the mean over the batch",
     "    n = probs.shape[0]\n"
     "    probs[np.arange(n), y] -= 1.0\n"
     "    return probs / n"),
]
