"""Rounds (n + 2p - k) / s up instead of down, keeping a last window that sticks out of the padded input."""
import math


def conv_output_size(size, kernel_size, stride=1, padding=0):
    """Number of positions of a kernel along one axis of a padded input."""
    return math.ceil((size + 2 * padding - kernel_size) / stride) + 1
