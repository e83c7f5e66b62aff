"""Leaves out the factor 1 / (4 N^2 M^2) and adds the raw squared Gram differences."""


def style_loss(generated_features, style_grams, weights):
    """The style loss of Gatys et al. (2015)."""
    loss = 0.0
    for features, A, weight in zip(generated_features, style_grams, weights):
        G = gram_matrix(features)  # noqa: F821 - the notebook's own gram_matrix
        loss = loss + weight * ((G - A) ** 2).sum()
    return loss
