"""Clips every array by its own norm instead of one global norm, which changes the direction of the whole gradient."""
FUNCTION = "clip_grad_norm"
EDITS = [
    ("    if total_norm > max_norm:\n"
     "        factor = max_norm / (total_norm + 1e-6)  # one factor for all: the direction is kept\n"
     "        for g in arrays:\n"
     "            g *= factor  # in place: the caller's arrays change",
     "    for g in arrays:\n"
     "        norm = np.linalg.norm(g)\n"
     "        if norm > max_norm:\n"
     "            g *= max_norm / (norm + 1e-6)"),
]
