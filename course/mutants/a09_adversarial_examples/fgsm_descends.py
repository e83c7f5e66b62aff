"""Subtracts the signed gradient, as in training, so the attack lowers the loss instead of raising it."""
FUNCTION = "fgsm"
EDITS = [
    ("    return (x.detach() + eps * gradient.sign()).clamp(0, 1)",
     "    return (x.detach() - eps * gradient.sign()).clamp(0, 1)"),
]
