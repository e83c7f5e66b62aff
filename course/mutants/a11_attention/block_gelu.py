"""Uses a GELU in the feed-forward network instead of the ReLU the block specifies."""
FUNCTION = "transformer_block"
EDITS = [
    ("    hidden = torch.relu(linear(normed, params[\"W_1\"], params[\"b_1\"]))  # (N, T, d_ff)",
     "    hidden = F.gelu(linear(normed, params[\"W_1\"], params[\"b_1\"]))"),
]
