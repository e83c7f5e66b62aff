"""A 'stable' sigmoid through np.where, which still evaluates the overflowing branch on every entry and warns for large |z|."""
FUNCTION = "sigmoid"
EDITS = [
    ("    e = np.exp(-np.abs(z))\n"
     "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
     "    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z)))"),
]
