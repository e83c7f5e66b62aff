"""Averages the differences f(G(z_i)) - f(x_i) pairwise, which needs batches of equal size and shape."""


def critic_loss(real_scores, fake_scores):
    """What the critic minimises."""
    return (fake_scores - real_scores).mean()
