"""Returns mean f(x) - mean f(G(z)), the Wasserstein estimate itself, as the loss the critic minimises."""


def critic_loss(real_scores, fake_scores):
    """What the critic minimises."""
    return real_scores.mean() - fake_scores.mean()
