"""Averages the cross-entropy over the real and generated logits together instead of each batch on its own."""
FUNCTION = "discriminator_loss"
EDITS = [
    ("    return -F.logsigmoid(real_logits).mean() - F.logsigmoid(-fake_logits).mean()",
     "    terms = torch.cat([-F.logsigmoid(real_logits).flatten(), -F.logsigmoid(-fake_logits).flatten()])\n"
     "    return terms.mean()"),
]
