"""Uses transpose_, which transposes the caller's tensor in place."""
FUNCTION = "merge_heads"
EDITS = [
    ("    return X.transpose(1, 2).reshape(N, T, heads * d_head)  # (N, T, heads, d_head), then the heads side by side",
     "    return X.transpose_(1, 2).reshape(N, T, heads * d_head)"),
]
