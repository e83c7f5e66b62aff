"""Adds 1e-8 to the denominator to avoid 0/0: D* becomes 0 there and wrong for small densities."""


def optimal_discriminator(p_data, p_model):
    """The optimal discriminator."""
    return p_data / (p_data + p_model + 1e-8)
