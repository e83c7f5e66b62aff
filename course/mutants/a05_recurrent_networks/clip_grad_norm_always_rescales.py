"""Rescales to max_norm even when the total norm is already below it, blowing small gradients up."""
FUNCTION = "clip_grad_norm"
EDITS = [
    ("    if total_norm > max_norm:\n"
     "        factor = max_norm / (total_norm + 1e-6)  # one factor for all: the direction is kept\n"
     "        for g in arrays:\n"
     "            g *= factor  # in place: the caller's arrays change",
     "    for g in arrays:\n"
     "        g *= max_norm / (total_norm + 1e-6)"),
]
