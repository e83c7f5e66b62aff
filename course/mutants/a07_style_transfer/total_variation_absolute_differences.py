"""Sums absolute differences of neighbours (the L1 total variation) instead of squared ones."""


def total_variation(image):
    """Squared total variation of an image."""
    vertical = image[:, 1:, :] - image[:, :-1, :]
    horizontal = image[:, :, 1:] - image[:, :, :-1]
    return vertical.abs().sum() + horizontal.abs().sum()
