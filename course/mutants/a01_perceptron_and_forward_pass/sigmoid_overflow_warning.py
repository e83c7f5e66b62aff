"""The textbook formula 1 / (1 + e^(-z)) as written: right values, but e^(-z) overflows (with a RuntimeWarning) for z < -709."""
FUNCTION = "sigmoid"
EDITS = [
    ("    z = np.asarray(z, dtype=float)\n"
     "    # e^(-|z|) lies in (0, 1], so neither branch can overflow (e^(-z) would for z < -709)\n"
     "    e = np.exp(-np.abs(z))\n"
     "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
     "    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))"),
]
