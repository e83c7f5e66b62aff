"""Confuses ReLU with its derivative: returns the 0/1 mask z > 0 instead of max(0, z)."""
FUNCTION = "relu"
EDITS = [
    ("    return np.maximum(np.asarray(z, dtype=float), 0.0)",
     "    return (np.asarray(z) > 0).astype(float)"),
]
