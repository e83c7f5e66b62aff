"""Copies the lecture's W^T literally, delta_next @ W_next.T: wrong for square layers, a shape error otherwise."""
FUNCTION = "hidden_delta"
EDITS = [
    ("    return (delta_next @ W_next) * (1.0 - np.tanh(z) ** 2)  # BP2: (N, n_next) @ (n_next, n), times tanh'(z)",
     "    return (delta_next @ W_next.T) * (1.0 - np.tanh(z) ** 2)"),
]
