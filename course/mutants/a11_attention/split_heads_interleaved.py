"""Reshapes to (N, T, d_head, heads), so feature i goes to head i mod heads instead of consecutive slices."""
FUNCTION = "split_heads"
EDITS = [
    ("    return X.reshape(N, T, heads, d // heads).transpose(1, 2)  # (N, T, heads, d_head) -> (N, heads, T, d_head)",
     "    return X.reshape(N, T, d // heads, heads).permute(0, 3, 1, 2)"),
]
