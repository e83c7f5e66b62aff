"""Sums absolute differences of neighbours (the L1 total variation) instead of squared ones."""
FUNCTION = "total_variation"
EDITS = [
    ("    return (vertical**2).sum() + (horizontal**2).sum()",
     "    return vertical.abs().sum() + horizontal.abs().sum()"),
]
