"""Adds the layers' losses E_l with equal weight, ignoring the weights it was given."""
FUNCTION = "style_loss"
EDITS = [
    ("        loss = loss + weight * E",
     "        loss = loss + E"),
]
