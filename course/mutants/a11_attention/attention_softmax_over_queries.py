"""Takes the softmax over the queries (axis -2) instead of over the keys."""
FUNCTION = "scaled_dot_product_attention"
EDITS = [
    ("    weights = torch.softmax(scores, dim=-1)  # over the keys: each row sums to 1",
     "    weights = torch.softmax(scores, dim=-2)"),
]
