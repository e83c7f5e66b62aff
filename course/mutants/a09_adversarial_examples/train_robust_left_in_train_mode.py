"""Forgets model.eval() at the end, so the trained model is handed back in training mode."""
FUNCTION = "train_robust"
EDITS = [
    ("    model.eval()\n", ""),
]
