"""Forgets the factor 1/2: the sum of squared differences, twice the content loss."""


def content_loss(generated_features, content_features):
    """The content loss at one layer."""
    return ((generated_features - content_features) ** 2).sum()
