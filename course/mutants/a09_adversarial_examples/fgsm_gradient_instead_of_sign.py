"""Steps along eps times the gradient itself instead of its sign, so the pixels move by far less than eps."""
FUNCTION = "fgsm"
EDITS = [
    ("    return (x.detach() + eps * gradient.sign()).clamp(0, 1)",
     "    return (x.detach() + eps * gradient).clamp(0, 1)"),
]
