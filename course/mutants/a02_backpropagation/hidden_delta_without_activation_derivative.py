"""Forgets the factor tanh'(z) of BP2 and returns delta_next @ W_next alone."""
FUNCTION = "hidden_delta"
EDITS = [
    ("    return (delta_next @ W_next) * (1.0 - np.tanh(z) ** 2)  # BP2: (N, n_next) @ (n_next, n), times tanh'(z)",
     "    return delta_next @ W_next"),
]
