"""Clamps into [0, c] instead of [-c, c], wiping out every negative weight."""
FUNCTION = "clip_weights"
EDITS = [
    ("            parameter.clamp_(-c, c)",
     "            parameter.clamp_(0, c)"),
]
