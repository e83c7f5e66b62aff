"""Adds the bias after the activation, activation(X @ W) + b, instead of inside it."""
FUNCTION = "dense_forward"
EDITS = [
    ("    Z = X @ W + b  # (n, d_out): b is broadcast over the rows\n"
     "    return activation(Z)",
     "    return activation(X @ W) + b"),
]
