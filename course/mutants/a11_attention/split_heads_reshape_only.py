"""Reshapes straight to (N, heads, T, d_head), which mixes positions into heads."""
FUNCTION = "split_heads"
EDITS = [
    ("    return X.reshape(N, T, heads, d // heads).transpose(1, 2)  # (N, T, heads, d_head) -> (N, heads, T, d_head)",
     "    return X.reshape(N, heads, T, d // heads)"),
]
