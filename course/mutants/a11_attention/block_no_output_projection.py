"""Leaves out the output projection W_o, b_o after merging the heads."""
FUNCTION = "transformer_block"
EDITS = [
    ("        return linear(merge_heads(attended), params[\"W_o\"], params[\"b_o\"])  # W_o mixes the heads: (N, T, d)",
     "        return merge_heads(attended)"),
]
