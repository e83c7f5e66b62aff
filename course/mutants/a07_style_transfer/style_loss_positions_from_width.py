"""Takes M_l as the width of the maps (features.shape[-1]) instead of the number of positions H * W."""
FUNCTION = "style_loss"
EDITS = [
    ("        M = features.shape[1] * features.shape[2]  # M_l positions",
     "        M = features.shape[-1]"),
]
