"""Returns mean f(x) - mean f(G(z)), the Wasserstein estimate itself, as the loss the critic minimises."""
FUNCTION = "critic_loss"
EDITS = [
    ("    return fake_scores.mean() - real_scores.mean()",
     "    return real_scores.mean() - fake_scores.mean()"),
]
