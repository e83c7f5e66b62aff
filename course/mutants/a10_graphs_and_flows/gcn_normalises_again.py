"""Builds the self-loops and degrees again from A_hat, normalising an already normalised matrix."""
FUNCTION = "gcn_layer"
EDITS = [
    ("    out = A_hat @ (H @ W) + b  # each node: the degree-weighted mean of its neighbourhood's H W, then the bias",
     '    A_tilde = A_hat + torch.eye(len(A_hat), dtype=A_hat.dtype)\n'
     '    d = A_tilde.sum(dim=1).rsqrt()\n'
     '    out = (d[:, None] * A_tilde * d[None, :]) @ (H @ W) + b'),
]
