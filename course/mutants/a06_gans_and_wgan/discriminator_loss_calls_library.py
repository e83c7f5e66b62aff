"""Calls the course library's discriminator_loss instead of writing the loss."""
FUNCTION = "discriminator_loss"
EDITS = [
    ("    return -F.logsigmoid(real_logits).mean() - F.logsigmoid(-fake_logits).mean()",
     "    return dlcourse.models.gan.discriminator_loss(real_logits, fake_logits)"),
]
