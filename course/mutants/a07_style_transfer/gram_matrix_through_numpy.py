"""Computes the product in NumPy and converts back: right values, but no gradient reaches the features."""
import torch


def gram_matrix(features):
    """The Gram matrix of one layer's feature maps."""
    F = features.detach().numpy().reshape(features.shape[0], -1)
    return torch.from_numpy(F @ F.T)
