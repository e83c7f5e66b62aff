"""Adds the two losses without the weights one half, doubling the loss and the step."""
FUNCTION = "adversarial_training_step"
EDITS = [
    ("    loss = 0.5 * clean_loss + 0.5 * adversarial_loss  # Goodfellow et al. (2015)",
     "    loss = clean_loss + adversarial_loss"),
]
