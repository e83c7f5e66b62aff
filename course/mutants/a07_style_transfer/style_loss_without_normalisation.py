"""Leaves out the factor 1 / (4 N^2 M^2) and adds the raw squared Gram differences."""
FUNCTION = "style_loss"
EDITS = [
    ("        E = ((G - A) ** 2).sum() / (4 * N**2 * M**2)  # E_l",
     "        E = ((G - A) ** 2).sum()"),
]
