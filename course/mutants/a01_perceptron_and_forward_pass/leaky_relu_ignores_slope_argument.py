"""Hard-codes the slope 0.01 and ignores the negative_slope argument."""
FUNCTION = "leaky_relu"
EDITS = [
    ("    return np.where(z > 0, z, negative_slope * z)",
     "    return np.where(z > 0, z, 0.01 * z)"),
]
