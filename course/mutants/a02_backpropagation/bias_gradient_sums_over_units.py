"""Sums over the wrong axis (axis=1, the units) instead of over the examples."""
FUNCTION = "bias_gradient"
EDITS = [
    ("    return np.sum(delta, axis=0)  # BP3: b is added to every row, so its gradient sums the rows",
     "    return np.sum(delta, axis=1)"),
]
