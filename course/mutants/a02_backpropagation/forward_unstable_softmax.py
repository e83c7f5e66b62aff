"""Computes the softmax as exp(z) / sum exp(z) without subtracting the row maximum: overflows (and warns) for large logits."""
FUNCTION = "forward"
EDITS = [
    ("            e = np.exp(z - z.max(axis=1, keepdims=True))",
     "            e = np.exp(z)"),
]
