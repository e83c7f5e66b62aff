"""Clips into [-1, 1], the range of normalised images, instead of the pixel range [0, 1]."""
FUNCTION = "fgsm"
EDITS = [
    ("    return (x.detach() + eps * gradient.sign()).clamp(0, 1)",
     "    return (x.detach() + eps * gradient.sign()).clamp(-1, 1)"),
]
