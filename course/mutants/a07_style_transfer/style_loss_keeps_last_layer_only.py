"""Overwrites the running total in the loop (loss = ... instead of loss = loss + ...), so only the last layer counts."""
FUNCTION = "style_loss"
EDITS = [
    ("        loss = loss + weight * E",
     "        loss = weight * E"),
]
