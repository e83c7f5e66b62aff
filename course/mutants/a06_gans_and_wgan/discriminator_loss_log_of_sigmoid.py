"""Takes torch.log(torch.sigmoid(l)) and torch.log(1 - torch.sigmoid(l)), which are -inf once the sigmoid rounds to 0 or 1."""
FUNCTION = "discriminator_loss"
EDITS = [
    ("    return -F.logsigmoid(real_logits).mean() - F.logsigmoid(-fake_logits).mean()",
     "    return -torch.log(torch.sigmoid(real_logits)).mean() - torch.log(1 - torch.sigmoid(fake_logits)).mean()"),
]
