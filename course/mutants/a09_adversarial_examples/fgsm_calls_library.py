"""Calls the course library's fgsm instead of writing the attack."""
FUNCTION = "fgsm"
EDITS = [
    ("    return (x.detach() + eps * gradient.sign()).clamp(0, 1)",
     "    return dlcourse.models.adversarial.fgsm(model, x, y, eps)"),
]
