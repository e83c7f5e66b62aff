"""Takes np.log of the picked probabilities without a floor: a probability of 0 gives inf and a divide-by-zero warning."""
FUNCTION = "cross_entropy_loss"
EDITS = [
    ("    return float(-np.mean(np.log(np.maximum(picked, 1e-12))))",
     "    return float(-np.mean(np.log(picked)))"),
]
