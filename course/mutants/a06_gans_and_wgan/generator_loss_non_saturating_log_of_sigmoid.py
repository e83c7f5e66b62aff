"""Takes -torch.log(torch.sigmoid(l)), which is inf once the sigmoid rounds to 0 for very negative logits."""
FUNCTION = "generator_loss_non_saturating"
EDITS = [
    ("    return -F.logsigmoid(fake_logits).mean()  # -log sigmoid(l) = softplus(-l), finite for every l",
     "    return -torch.log(torch.sigmoid(fake_logits)).mean()"),
]
