"""Averages the differences f(G(z_i)) - f(x_i) pairwise, which needs batches of equal size and shape."""
FUNCTION = "critic_loss"
EDITS = [
    ("    return fake_scores.mean() - real_scores.mean()",
     "    return (fake_scores - real_scores).mean()"),
]
