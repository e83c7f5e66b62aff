"""Forgets keepdims=True on the row sum, so for a batch the (n,) sums broadcast against the wrong axis."""
FUNCTION = "softmax"
EDITS = [
    ("    return e / e.sum(axis=-1, keepdims=True)",
     "    return e / e.sum(axis=-1)"),
]
