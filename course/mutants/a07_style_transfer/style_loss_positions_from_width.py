"""Takes M_l as the width of the maps (features.shape[-1]) instead of the number of positions H * W."""


def style_loss(generated_features, style_grams, weights):
    """The style loss of Gatys et al. (2015)."""
    loss = 0.0
    for features, A, weight in zip(generated_features, style_grams, weights):
        N = features.shape[0]
        M = features.shape[-1]
        G = gram_matrix(features)  # noqa: F821 - the notebook's own gram_matrix
        loss = loss + weight * ((G - A) ** 2).sum() / (4 * N**2 * M**2)
    return loss
