"""Normalises the softmax over the whole batch (np.sum without axis) instead of over each row."""
FUNCTION = "forward"
EDITS = [
    ("            e = np.exp(z - z.max(axis=1, keepdims=True))\n"
     "            a = e / e.sum(axis=1, keepdims=True)",
     "            e = np.exp(z - z.max())\n"
     "            a = e / np.sum(e)"),
]
