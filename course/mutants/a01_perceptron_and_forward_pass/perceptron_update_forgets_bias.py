"""Updates the weights but returns the bias unchanged."""
FUNCTION = "perceptron_update"
EDITS = [
    ("    new_b = float(b + lr * error)",
     "    new_b = float(b)"),
]
