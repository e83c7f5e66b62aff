"""Forgets the factor 1/2: the sum of squared differences, twice the content loss."""
FUNCTION = "content_loss"
EDITS = [
    ("    return 0.5 * ((generated_features - content_features) ** 2).sum()",
     "    return ((generated_features - content_features) ** 2).sum()"),
]
