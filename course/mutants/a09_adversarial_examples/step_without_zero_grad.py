"""Forgets optimizer.zero_grad(), so each step adds the gradients of all the earlier batches."""
FUNCTION = "adversarial_training_step"
EDITS = [
    ("    optimizer.zero_grad()\n", ""),
]
