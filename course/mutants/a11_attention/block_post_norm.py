"""Normalises after each residual sum (post-norm, the original transformer) instead of inside the branches."""
FUNCTION = "transformer_block"
EDITS = [
    ("    normed = F.layer_norm(X, (d,), params[\"ln1_gamma\"], params[\"ln1_beta\"], eps=1e-5)  # LN1\n"
     "    H = X + multi_head_attention(normed)  # the residual path around the attention\n"
     "    normed = F.layer_norm(H, (d,), params[\"ln2_gamma\"], params[\"ln2_beta\"], eps=1e-5)  # LN2\n"
     "    hidden = torch.relu(linear(normed, params[\"W_1\"], params[\"b_1\"]))  # (N, T, d_ff)\n"
     "    return H + linear(hidden, params[\"W_2\"], params[\"b_2\"])  # the residual path around the feed-forward network",
     "    H = F.layer_norm(X + multi_head_attention(X), (d,), params[\"ln1_gamma\"], params[\"ln1_beta\"], eps=1e-5)\n"
     "    hidden = torch.relu(linear(H, params[\"W_1\"], params[\"b_1\"]))\n"
     "    return F.layer_norm(H + linear(hidden, params[\"W_2\"], params[\"b_2\"]), (d,), params[\"ln2_gamma\"],\n"
     "                        params[\"ln2_beta\"], eps=1e-5)"),
]
