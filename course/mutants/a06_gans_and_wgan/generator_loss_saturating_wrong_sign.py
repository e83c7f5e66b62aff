"""Returns -mean log(1 - D(G(z))), the discriminator's term, instead of mean log(1 - D(G(z)))."""
FUNCTION = "generator_loss_saturating"
EDITS = [
    ("    return F.logsigmoid(-fake_logits).mean()  # log(1 - sigmoid(l)) = log sigmoid(-l), finite for every l",
     "    return -F.logsigmoid(-fake_logits).mean()"),
]
