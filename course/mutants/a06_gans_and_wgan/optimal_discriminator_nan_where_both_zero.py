"""Divides without handling 0/0, so D* is nan wherever both densities vanish."""


def optimal_discriminator(p_data, p_model):
    """The optimal discriminator."""
    return p_data / (p_data + p_model)
