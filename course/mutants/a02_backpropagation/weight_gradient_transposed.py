"""Multiplies in the wrong order, a_prev.T @ delta, which gives the transpose (n_prev, n) of the gradient."""
FUNCTION = "weight_gradient"
EDITS = [
    ("    return delta.T @ a_prev  # BP4: (n, N) @ (N, n_prev)",
     "    return a_prev.T @ delta"),
]
