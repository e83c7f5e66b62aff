"""Averages the squared differences (.mean()) in each direction instead of summing them."""
FUNCTION = "total_variation"
EDITS = [
    ("    return (vertical**2).sum() + (horizontal**2).sum()",
     "    return (vertical**2).mean() + (horizontal**2).mean()"),
]
