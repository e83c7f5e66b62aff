"""Adds 1e-8 inside the logs to avoid log(0): finite, but capped near 18 for confident logits."""
FUNCTION = "discriminator_loss"
EDITS = [
    ("    return -F.logsigmoid(real_logits).mean() - F.logsigmoid(-fake_logits).mean()",
     "    real_d, fake_d = torch.sigmoid(real_logits), torch.sigmoid(fake_logits)\n"
     "    return -torch.log(real_d + 1e-8).mean() - torch.log(1 - fake_d + 1e-8).mean()"),
]
