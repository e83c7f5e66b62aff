"""Returns loss.item(), a Python float, so backward() cannot train the generator with it."""
FUNCTION = "generator_loss_non_saturating"
EDITS = [
    ("    return -F.logsigmoid(fake_logits).mean()  # -log sigmoid(l) = softplus(-l), finite for every l",
     "    return (-F.logsigmoid(fake_logits).mean()).item()"),
]
