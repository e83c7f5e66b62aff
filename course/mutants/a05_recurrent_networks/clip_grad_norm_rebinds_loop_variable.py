"""Writes g = g * factor in the loop, which rebinds the loop variable and leaves the caller's arrays unclipped."""
FUNCTION = "clip_grad_norm"
EDITS = [
    ("            g *= factor  # in place: the caller's arrays change",
     "            g = g * factor"),
]
