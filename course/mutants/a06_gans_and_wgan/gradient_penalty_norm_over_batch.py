"""Takes one norm over the whole batch's gradient instead of one norm per example."""
FUNCTION = "gradient_penalty"
EDITS = [
    ("    norms = grad.reshape(n, -1).norm(dim=1)                                   # (N,)",
     "    norms = grad.norm()"),
]
