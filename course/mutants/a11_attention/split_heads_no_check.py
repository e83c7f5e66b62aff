"""Does not check that heads divides d, so reshape raises a RuntimeError instead of a ValueError."""
FUNCTION = "split_heads"
EDITS = [
    ("    if d % heads:\n"
     "        raise ValueError(f\"split_heads expects the width d = {d} to be a multiple of heads = {heads}.\")\n",
     ""),
]
