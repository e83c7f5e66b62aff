"""Multiplies the other way round, F^T F: an (M, M) matrix comparing positions, not the (N, N) Gram matrix of channels."""


def gram_matrix(features):
    """The Gram matrix of one layer's feature maps."""
    F = features.reshape(features.shape[0], -1)
    return F.T @ F
