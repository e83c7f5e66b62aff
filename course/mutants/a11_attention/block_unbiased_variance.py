"""Writes its own layer norm with torch's default unbiased variance (dividing by d - 1) instead of the biased one."""
FUNCTION = "transformer_block"
EDITS = [
    ("    normed = F.layer_norm(X, (d,), params[\"ln1_gamma\"], params[\"ln1_beta\"], eps=1e-5)  # LN1",
     "    def layer_norm(x, gamma, beta):\n"
     "        return gamma * (x - x.mean(dim=-1, keepdim=True)) / torch.sqrt(x.var(dim=-1, keepdim=True) + 1e-5) + beta\n"
     "\n"
     "    normed = layer_norm(X, params[\"ln1_gamma\"], params[\"ln1_beta\"])"),
    ("    normed = F.layer_norm(H, (d,), params[\"ln2_gamma\"], params[\"ln2_beta\"], eps=1e-5)  # LN2",
     "    normed = layer_norm(H, params[\"ln2_gamma\"], params[\"ln2_beta\"])"),
]
