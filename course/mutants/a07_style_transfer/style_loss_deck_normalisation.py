"""Divides by 4 N M, as the slide prints it, instead of 4 N^2 M^2 (Gatys et al. 2015, equation 4)."""
FUNCTION = "style_loss"
EDITS = [
    ("        E = ((G - A) ** 2).sum() / (4 * N**2 * M**2)  # E_l",
     "        E = ((G - A) ** 2).sum() / (4 * N * M)"),
]
