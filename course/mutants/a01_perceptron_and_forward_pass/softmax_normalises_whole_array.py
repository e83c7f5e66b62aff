"""Takes the max and the sum over the whole array instead of each row, so a batch of rows shares one normalisation."""
FUNCTION = "softmax"
EDITS = [
    ("    e = np.exp(z - z.max(axis=-1, keepdims=True))\n"
     "    return e / e.sum(axis=-1, keepdims=True)",
     "    e = np.exp(z - z.max())\n"
     "    return e / e.sum()"),
]
