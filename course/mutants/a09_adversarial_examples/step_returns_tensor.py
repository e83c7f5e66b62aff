"""Returns the loss tensor instead of a Python float."""
FUNCTION = "adversarial_training_step"
EDITS = [
    ("    return loss.item()",
     "    return loss"),
]
