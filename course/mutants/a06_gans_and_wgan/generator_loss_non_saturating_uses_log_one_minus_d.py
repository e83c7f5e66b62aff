"""Writes the non-saturating loss as -mean log(1 - D(G(z))) instead of -mean log D(G(z))."""
FUNCTION = "generator_loss_non_saturating"
EDITS = [
    ("    return -F.logsigmoid(fake_logits).mean()  # -log sigmoid(l) = softplus(-l), finite for every l",
     "    return -F.logsigmoid(-fake_logits).mean()"),
]
