"""Feeds H to the feed-forward network without the second layer norm."""
FUNCTION = "transformer_block"
EDITS = [
    ("    normed = F.layer_norm(H, (d,), params[\"ln2_gamma\"], params[\"ln2_beta\"], eps=1e-5)  # LN2",
     "    normed = H"),
]
