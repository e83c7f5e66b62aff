"""Halves only the clean loss: 0.5 * clean + adversarial, weights that do not sum to one."""
FUNCTION = "adversarial_training_step"
EDITS = [
    ("    loss = 0.5 * clean_loss + 0.5 * adversarial_loss  # Goodfellow et al. (2015)",
     "    loss = 0.5 * clean_loss + adversarial_loss"),
]
