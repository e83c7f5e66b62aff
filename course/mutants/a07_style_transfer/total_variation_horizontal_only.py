"""Penalises only horizontally adjacent pixels and forgets the vertical pairs."""
FUNCTION = "total_variation"
EDITS = [
    ("    return (vertical**2).sum() + (horizontal**2).sum()",
     "    return (horizontal**2).sum()"),
]
