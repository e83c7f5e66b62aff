"""Labels the real examples 0 and the generated ones 1: -mean log(1 - D(x)) - mean log D(G(z))."""
FUNCTION = "discriminator_loss"
EDITS = [
    ("    return -F.logsigmoid(real_logits).mean() - F.logsigmoid(-fake_logits).mean()",
     "    return -F.logsigmoid(-real_logits).mean() - F.logsigmoid(fake_logits).mean()"),
]
