"""Does not hand the mask to the attention, so a causal block reads the future."""
FUNCTION = "transformer_block"
EDITS = [
    ("        attended, _ = scaled_dot_product_attention(Q, K, V, mask)",
     "        attended, _ = scaled_dot_product_attention(Q, K, V)"),
]
