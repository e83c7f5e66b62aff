"""Puts the model in eval mode and leaves it there, so a training loop that attacks goes on training in eval mode."""
FUNCTION = "fgsm"
EDITS = [
    ("    model.train(was_training)\n", ""),
]
