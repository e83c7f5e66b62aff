"""Does not refuse an odd d_model, and fails with a RuntimeError instead of a ValueError."""
FUNCTION = "sinusoidal_positions"
EDITS = [
    ("    if d_model % 2:\n"
     "        raise ValueError(f\"sinusoidal_positions expects an even d_model (sines and cosines in pairs); got {d_model}.\")\n",
     ""),
]
