"""Assigns the clamped copy to the loop variable (parameter = parameter.clamp(-c, c)), which changes nothing."""
FUNCTION = "clip_weights"
EDITS = [
    ("            parameter.clamp_(-c, c)",
     "            parameter = parameter.clamp(-c, c)"),
]
