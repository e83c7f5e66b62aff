"""Divides the scores by d_k instead of its square root."""
FUNCTION = "scaled_dot_product_attention"
EDITS = [
    ("    scores = Q @ K.transpose(-2, -1) / math.sqrt(d_k)  # (..., T_q, T_k); the scale keeps the softmax soft",
     "    scores = Q @ K.transpose(-2, -1) / d_k"),
]
