"""Skips the max subtraction: right for small logits, but e^1000 overflows and the result is nan; only the hidden tests catch it."""
FUNCTION = "softmax"
EDITS = [
    ("    e = np.exp(z - z.max(axis=-1, keepdims=True))",
     "    e = np.exp(z)"),
]
