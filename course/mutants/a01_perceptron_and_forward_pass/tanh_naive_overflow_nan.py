"""The formula (e^z - e^-z) / (e^z + e^-z) as written: fine for small z, but inf / inf = nan for |z| above about 710."""
FUNCTION = "tanh"
EDITS = [
    ("    e = np.exp(-2.0 * np.abs(z))\n"
     "    return np.sign(z) * (1.0 - e) / (1.0 + e)",
     "    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))"),
]
