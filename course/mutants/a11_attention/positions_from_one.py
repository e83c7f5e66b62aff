"""Counts positions from 1 instead of 0."""
FUNCTION = "sinusoidal_positions"
EDITS = [
    ("    positions = torch.arange(length, dtype=torch.float64)[:, None]  # (length, 1)",
     "    positions = torch.arange(1, length + 1, dtype=torch.float64)[:, None]"),
]
