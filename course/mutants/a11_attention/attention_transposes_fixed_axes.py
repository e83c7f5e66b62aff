"""Transposes K on axes 1 and 2, which is right for (N, T, d) only: heads swap with positions in 4-D."""
FUNCTION = "scaled_dot_product_attention"
EDITS = [
    ("    scores = Q @ K.transpose(-2, -1) / math.sqrt(d_k)  # (..., T_q, T_k); the scale keeps the softmax soft",
     "    scores = Q @ K.transpose(1, 2) / math.sqrt(d_k)"),
]
