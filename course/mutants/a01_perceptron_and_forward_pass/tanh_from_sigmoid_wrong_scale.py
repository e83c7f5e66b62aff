"""Uses tanh(z) = 2 sigma(z) - 1, forgetting that the identity needs sigma(2z); the result is tanh(z / 2)."""
FUNCTION = "tanh"
EDITS = [
    ("    e = np.exp(-2.0 * np.abs(z))\n"
     "    return np.sign(z) * (1.0 - e) / (1.0 + e)",
     "    e = np.exp(-np.abs(z))\n"
     "    s = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))\n"
     "    return 2.0 * s - 1.0"),
]
