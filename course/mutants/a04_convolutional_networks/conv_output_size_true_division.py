"""Divides with / instead of //, so the size is a float, and a fraction when the stride does not divide."""


def conv_output_size(size, kernel_size, stride=1, padding=0):
    """Number of positions of a kernel along one axis of a padded input."""
    return (size + 2 * padding - kernel_size) / stride + 1
