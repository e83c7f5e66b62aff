"""Forgets model.eval(), so the step runs batch normalisation on batch statistics."""
FUNCTION = "pgd_step"
EDITS = [
    ("    model.eval()\n", ""),
]
