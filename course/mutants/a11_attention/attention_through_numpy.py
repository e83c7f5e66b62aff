"""Computes the softmax in NumPy: the values are right, but no gradient reaches Q or K."""
FUNCTION = "scaled_dot_product_attention"
EDITS = [
    ("    weights = torch.softmax(scores, dim=-1)  # over the keys: each row sums to 1",
     "    scores = scores.detach().numpy()\n"
     "    exp = np.exp(scores - scores.max(axis=-1, keepdims=True))\n"
     "    weights = torch.from_numpy(exp / exp.sum(axis=-1, keepdims=True))"),
]
