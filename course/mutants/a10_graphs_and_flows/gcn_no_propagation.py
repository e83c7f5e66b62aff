"""Forgets the graph: H W + b, a dense layer applied to each node alone."""
FUNCTION = "gcn_layer"
EDITS = [
    ("    out = A_hat @ (H @ W) + b  # each node: the degree-weighted mean of its neighbourhood's H W, then the bias",
     '    out = H @ W + b'),
]
