"""Counts only the weights d_(l-1) * d_l and forgets the d_l biases of each layer."""


def count_parameters(widths):
    """Number of weights and biases of a fully connected network."""
    return sum(d_in * d_out for d_in, d_out in zip(widths[:-1], widths[1:]))
