"""Multiplies by W.T (the deck's W^T x habit carried over to row batches); fails for any non-square W."""
FUNCTION = "dense_forward"
EDITS = [
    ("    Z = X @ W + b  # (n, d_out): b is broadcast over the rows\n"
     "    return activation(Z)",
     "    return activation(X @ W.T + b)"),
]
