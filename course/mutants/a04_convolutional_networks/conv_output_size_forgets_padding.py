"""Leaves the padding out of the formula: (n - k) // s + 1."""


def conv_output_size(size, kernel_size, stride=1, padding=0):
    """Number of positions of a kernel along one axis of a padded input."""
    return (size - kernel_size) // stride + 1
