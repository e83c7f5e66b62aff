"""Attends with one full-width head whatever heads says."""
FUNCTION = "transformer_block"
EDITS = [
    ("        Q, K, V = (split_heads(linear(x, params[f\"W_{n}\"], params[f\"b_{n}\"]), heads) for n in \"qkv\")  # (N, h, T, d/h)",
     "        Q, K, V = (split_heads(linear(x, params[f\"W_{n}\"], params[f\"b_{n}\"]), 1) for n in \"qkv\")"),
]
