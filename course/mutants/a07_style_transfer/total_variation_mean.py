"""Averages the squared differences (.mean()) in each direction instead of summing them."""


def total_variation(image):
    """Squared total variation of an image."""
    vertical = image[:, 1:, :] - image[:, :-1, :]
    horizontal = image[:, :, 1:] - image[:, :, :-1]
    return (vertical**2).mean() + (horizontal**2).mean()
