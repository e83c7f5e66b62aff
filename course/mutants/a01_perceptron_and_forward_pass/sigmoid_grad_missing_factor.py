"""Returns sigma(z) instead of sigma(z) (1 - sigma(z)): the factor (1 - sigma(z)) is missing."""
FUNCTION = "sigmoid_grad"
EDITS = [
    ("    return e / (1.0 + e) ** 2",
     "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))"),
]
