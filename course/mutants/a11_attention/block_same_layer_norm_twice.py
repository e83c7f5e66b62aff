"""Uses the first layer norm's gamma and beta for the second layer norm too."""
FUNCTION = "transformer_block"
EDITS = [
    ("    normed = F.layer_norm(H, (d,), params[\"ln2_gamma\"], params[\"ln2_beta\"], eps=1e-5)  # LN2",
     "    normed = F.layer_norm(H, (d,), params[\"ln1_gamma\"], params[\"ln1_beta\"], eps=1e-5)"),
]
