"""Writes the tanh derivative as 1 - z^2, applying the formula 1 - a^2 to the pre-activation instead of a = tanh(z)."""
FUNCTION = "hidden_delta"
EDITS = [
    ("    return (delta_next @ W_next) * (1.0 - np.tanh(z) ** 2)  # BP2: (N, n_next) @ (n_next, n), times tanh'(z)",
     "    return (delta_next @ W_next) * (1.0 - z ** 2)"),
]
