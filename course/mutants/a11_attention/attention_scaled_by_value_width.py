"""Takes d_k from the width of the values, which differs from the keys' in cross-attention."""
FUNCTION = "scaled_dot_product_attention"
EDITS = [
    ("    d_k = Q.shape[-1]",
     "    d_k = V.shape[-1]"),
]
