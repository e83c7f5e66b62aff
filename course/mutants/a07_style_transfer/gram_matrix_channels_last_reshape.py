"""Flattens with reshape(-1, C), as if channels came last: the rows mix channels and positions."""


def gram_matrix(features):
    """The Gram matrix of one layer's feature maps."""
    F = features.reshape(-1, features.shape[0])  # (M, C), but the memory holds channel after channel
    return F.T @ F
