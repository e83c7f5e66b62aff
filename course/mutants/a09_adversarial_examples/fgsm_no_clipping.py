"""Forgets to clip the attacked image into [0, 1], so pixels leave the range of an image."""
FUNCTION = "fgsm"
EDITS = [
    ("    return (x.detach() + eps * gradient.sign()).clamp(0, 1)",
     "    return x.detach() + eps * gradient.sign()"),
]
