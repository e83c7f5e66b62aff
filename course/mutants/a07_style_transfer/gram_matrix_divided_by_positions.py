"""Normalises the Gram matrix by the number of positions M (a common variant), where this one is F F^T unnormalised."""


def gram_matrix(features):
    """The Gram matrix of one layer's feature maps."""
    F = features.reshape(features.shape[0], -1)
    return F @ F.T / F.shape[1]
