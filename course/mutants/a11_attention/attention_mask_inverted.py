"""Reads the mask as torch.nn.MultiheadAttention's attn_mask does, True meaning forbidden."""
FUNCTION = "scaled_dot_product_attention"
EDITS = [
    ("        scores = scores.masked_fill(~mask, float(\"-inf\"))  # a forbidden key gets e^-inf = 0, exactly",
     "        scores = scores.masked_fill(mask, float(\"-inf\"))"),
]
