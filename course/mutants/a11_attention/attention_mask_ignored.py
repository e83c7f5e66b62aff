"""Never applies the mask, so a causal model reads the future and padding is attended to."""
FUNCTION = "scaled_dot_product_attention"
EDITS = [
    ("    if mask is not None:\n"
     "        scores = scores.masked_fill(~mask, float(\"-inf\"))  # a forbidden key gets e^-inf = 0, exactly\n",
     ""),
]
