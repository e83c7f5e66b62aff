"""Off-by-one loop bound, range(len(widths) - 2), which skips the output layer."""


def count_parameters(widths):
    """Number of weights and biases of a fully connected network."""
    total = 0
    for l in range(len(widths) - 2):
        total += widths[l] * widths[l + 1] + widths[l + 1]
    return total
