"""Zeroes the forbidden weights after the softmax without renormalising, so the rows no longer sum to 1."""
FUNCTION = "scaled_dot_product_attention"
EDITS = [
    ("    if mask is not None:\n"
     "        scores = scores.masked_fill(~mask, float(\"-inf\"))  # a forbidden key gets e^-inf = 0, exactly\n",
     ""),
    ("    return weights @ V, weights  # (..., T_q, d_v), (..., T_q, T_k)",
     "    if mask is not None:\n"
     "        weights = weights * mask\n"
     "    return weights @ V, weights"),
]
