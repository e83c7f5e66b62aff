"""Averages the errors over the batch although the 1/N of the mean loss is already inside delta: divides by N twice."""
FUNCTION = "bias_gradient"
EDITS = [
    ("    return np.sum(delta, axis=0)  # BP3: b is added to every row, so its gradient sums the rows",
     "    return np.mean(delta, axis=0)"),
]
