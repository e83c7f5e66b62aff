"""Applies the ReLU before averaging over the neighbours: A_hat ReLU(H W) + b."""
FUNCTION = "gcn_layer"
EDITS = [
    ("    out = A_hat @ (H @ W) + b  # each node: the degree-weighted mean of its neighbourhood's H W, then the bias",
     '    out = A_hat @ (torch.relu(H @ W) if relu else H @ W) + b'),
    ('    return torch.relu(out) if relu else out',
     '    return out'),
]
