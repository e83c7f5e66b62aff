"""Applies the formula s (1 - s) to the pre-activation z itself instead of to s = sigma(z)."""
FUNCTION = "sigmoid_grad"
EDITS = [
    ("    e = np.exp(-np.abs(z))\n"
     "    return e / (1.0 + e) ** 2",
     "    return z * (1.0 - z)"),
]
