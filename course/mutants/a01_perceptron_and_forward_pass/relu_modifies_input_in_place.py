"""Zeroes the negative entries of the caller's array in place (z[z < 0] = 0) and returns it: right values, damaged input."""
FUNCTION = "relu"
EDITS = [
    ("    return np.maximum(np.asarray(z, dtype=float), 0.0)",
     "    z = np.asarray(z)\n"
     "    z[z < 0] = 0.0\n"
     "    return z"),
]
