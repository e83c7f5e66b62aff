"""Leaves out the 1/sqrt(d_k), so wide keys give large scores and a softmax close to one-hot."""
FUNCTION = "scaled_dot_product_attention"
EDITS = [
    ("    scores = Q @ K.transpose(-2, -1) / math.sqrt(d_k)  # (..., T_q, T_k); the scale keeps the softmax soft",
     "    scores = Q @ K.transpose(-2, -1)"),
]
