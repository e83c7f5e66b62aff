"""Divides by 4 N M, as the slide prints it, instead of 4 N^2 M^2 (Gatys et al. 2015, equation 4)."""


def style_loss(generated_features, style_grams, weights):
    """The style loss of Gatys et al. (2015)."""
    loss = 0.0
    for features, A, weight in zip(generated_features, style_grams, weights):
        N = features.shape[0]
        M = features.shape[1] * features.shape[2]
        G = gram_matrix(features)  # noqa: F821 - the notebook's own gram_matrix
        loss = loss + weight * ((G - A) ** 2).sum() / (4 * N * M)
    return loss
