"""Returns FFN(LN2(H)) without adding H back: no residual path around the feed-forward network."""
FUNCTION = "transformer_block"
EDITS = [
    ("    return H + linear(hidden, params[\"W_2\"], params[\"b_2\"])  # the residual path around the feed-forward network",
     "    return linear(hidden, params[\"W_2\"], params[\"b_2\"])"),
]
