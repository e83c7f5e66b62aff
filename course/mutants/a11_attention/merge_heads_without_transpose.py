"""Reshapes (N, heads, T, d_head) straight to (N, T, d) without moving the head axis next to the features."""
FUNCTION = "merge_heads"
EDITS = [
    ("    return X.transpose(1, 2).reshape(N, T, heads * d_head)  # (N, T, heads, d_head), then the heads side by side",
     "    return X.reshape(N, T, heads * d_head)"),
]
