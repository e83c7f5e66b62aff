"""Forgets the square: returns 1 - tanh(z) instead of 1 - tanh(z)^2."""
FUNCTION = "tanh_grad"
EDITS = [
    ("    return 1.0 - np.tanh(z) ** 2",
     "    return 1.0 - np.tanh(z)"),
]
