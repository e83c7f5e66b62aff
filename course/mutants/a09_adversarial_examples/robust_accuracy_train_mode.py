"""Predicts without model.eval(), so batch normalisation uses the statistics of each test batch."""
FUNCTION = "robust_accuracy"
EDITS = [
    ("        model.eval()\n", ""),
]
