"""Takes torch.log(1 - torch.sigmoid(l)), which is -inf from l = 17 in float32."""
FUNCTION = "generator_loss_saturating"
EDITS = [
    ("    return F.logsigmoid(-fake_logits).mean()  # log(1 - sigmoid(l)) = log sigmoid(-l), finite for every l",
     "    return torch.log(1 - torch.sigmoid(fake_logits)).mean()"),
]
