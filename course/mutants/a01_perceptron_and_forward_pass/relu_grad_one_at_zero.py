"""Uses z >= 0, so the derivative at the kink z = 0 is 1 instead of PyTorch's 0."""
FUNCTION = "relu_grad"
EDITS = [
    ("    return (np.asarray(z) > 0).astype(float)",
     "    return (np.asarray(z) >= 0).astype(float)"),
]
