"""Takes the norm over the last axis only (grad.norm(dim=-1)), which is per example only for points, not for images."""
FUNCTION = "gradient_penalty"
EDITS = [
    ("    norms = grad.reshape(n, -1).norm(dim=1)                                   # (N,)",
     "    norms = grad.norm(dim=-1)"),
]
