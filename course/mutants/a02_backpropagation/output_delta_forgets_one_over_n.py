"""Returns probs - onehot(y) without the 1/N that the mean over the batch puts into BP1."""
FUNCTION = "output_delta"
EDITS = [
    ("    return delta / n  # BP1; 1/N because C is the mean over the batch",
     "    return delta"),
]
