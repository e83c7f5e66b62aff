"""Returns the weights of the unmasked scores, not the ones the output was computed with."""
FUNCTION = "scaled_dot_product_attention"
EDITS = [
    ("    if mask is not None:\n",
     "    unmasked = torch.softmax(scores, dim=-1)\n"
     "    if mask is not None:\n"),
    ("    return weights @ V, weights  # (..., T_q, d_v), (..., T_q, T_k)",
     "    return weights @ V, unmasked"),
]
