"""Calls the course library's dlcourse.nn.clip_grad_norm instead of writing the clipping."""
FUNCTION = "clip_grad_norm"
EDITS = [
    ("    total_norm = float(np.sqrt(sum(np.sum(g**2) for g in arrays)))  # all arrays as one long vector\n"
     "    if total_norm > max_norm:\n"
     "        factor = max_norm / (total_norm + 1e-6)  # one factor for all: the direction is kept\n"
     "        for g in arrays:\n"
     "            g *= factor  # in place: the caller's arrays change\n"
     "    return total_norm",
     "    return dlcourse.nn.clip_grad_norm(arrays, max_norm)"),
]
