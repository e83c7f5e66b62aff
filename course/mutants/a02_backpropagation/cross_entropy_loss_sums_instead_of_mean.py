"""Sums the per-example losses instead of averaging them over the batch."""
FUNCTION = "cross_entropy_loss"
EDITS = [
    ("    return float(-np.mean(np.log(np.maximum(picked, 1e-12))))",
     "    return float(-np.sum(np.log(np.maximum(picked, 1e-12))))"),
]
