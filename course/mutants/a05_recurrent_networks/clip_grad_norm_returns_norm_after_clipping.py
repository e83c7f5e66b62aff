"""Returns the norm after clipping (max_norm when it clipped) instead of the norm before, as torch does."""
FUNCTION = "clip_grad_norm"
EDITS = [
    ("    return total_norm",
     "    return float(np.sqrt(sum(np.sum(g**2) for g in arrays)))"),
]
