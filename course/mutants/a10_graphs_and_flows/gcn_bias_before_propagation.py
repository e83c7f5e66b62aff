"""Adds the bias before the propagation, A_hat (H W + b), which scales it by each node's row sum of A_hat."""
FUNCTION = "gcn_layer"
EDITS = [
    ("    out = A_hat @ (H @ W) + b  # each node: the degree-weighted mean of its neighbourhood's H W, then the bias",
     '    out = A_hat @ (H @ W + b)'),
]
