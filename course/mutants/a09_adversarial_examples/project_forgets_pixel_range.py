"""Projects onto the eps-ball around x but forgets the pixel range [0, 1]."""
FUNCTION = "project"
EDITS = [
    ("    return x_adv.clamp(0, 1)  # and into the pixel range",
     "    return x_adv"),
]
