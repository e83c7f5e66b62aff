"""Drops the minus sign in the exponent, computing 1 / (1 + e^z) = sigma(-z)."""
FUNCTION = "sigmoid"
EDITS = [
    ("    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
     "    return np.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))"),
]
