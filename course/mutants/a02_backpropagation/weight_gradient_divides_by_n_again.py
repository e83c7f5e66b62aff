"""Divides the summed product by the batch size, although delta already carries the 1/N of the mean loss."""
FUNCTION = "weight_gradient"
EDITS = [
    ("    return delta.T @ a_prev  # BP4: (n, N) @ (N, n_prev)",
     "    return delta.T @ a_prev / delta.shape[0]"),
]
