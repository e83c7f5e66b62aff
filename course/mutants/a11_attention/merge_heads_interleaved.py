"""Interleaves the heads' features (feature i from head i mod heads) instead of putting the heads side by side."""
FUNCTION = "merge_heads"
EDITS = [
    ("    return X.transpose(1, 2).reshape(N, T, heads * d_head)  # (N, T, heads, d_head), then the heads side by side",
     "    return X.permute(0, 2, 3, 1).reshape(N, T, heads * d_head)"),
]
