"""Takes the total norm as the sum of the arrays' norms instead of the root of the sum of their squares."""
FUNCTION = "clip_grad_norm"
EDITS = [
    ("    total_norm = float(np.sqrt(sum(np.sum(g**2) for g in arrays)))  # all arrays as one long vector",
     "    total_norm = float(sum(np.linalg.norm(g) for g in arrays))"),
]
