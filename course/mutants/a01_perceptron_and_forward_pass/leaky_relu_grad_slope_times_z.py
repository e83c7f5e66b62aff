"""Differentiates wrongly on the negative side, returning negative_slope * z (the activation) instead of negative_slope."""
FUNCTION = "leaky_relu_grad"
EDITS = [
    ("    return np.where(np.asarray(z) > 0, 1.0, float(negative_slope))",
     "    z = np.asarray(z, dtype=float)\n"
     "    return np.where(z > 0, 1.0, negative_slope * z)"),
]
