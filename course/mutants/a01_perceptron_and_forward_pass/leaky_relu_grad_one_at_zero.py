"""Uses z >= 0, so the derivative at z = 0 is 1 instead of negative_slope (PyTorch's choice)."""
FUNCTION = "leaky_relu_grad"
EDITS = [
    ("    return np.where(np.asarray(z) > 0, 1.0, float(negative_slope))",
     "    return np.where(np.asarray(z) >= 0, 1.0, float(negative_slope))"),
]
