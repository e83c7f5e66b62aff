"""Adds the layers' losses E_l with equal weight, ignoring the weights it was given."""


def style_loss(generated_features, style_grams, weights):
    """The style loss of Gatys et al. (2015)."""
    loss = 0.0
    for features, A in zip(generated_features, style_grams):
        N = features.shape[0]
        M = features.shape[1] * features.shape[2]
        G = gram_matrix(features)  # noqa: F821 - the notebook's own gram_matrix
        loss = loss + ((G - A) ** 2).sum() / (4 * N**2 * M**2)
    return loss
