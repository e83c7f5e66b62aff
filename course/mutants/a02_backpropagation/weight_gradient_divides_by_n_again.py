"""Divides the summed product by the batch size, although delta already carries the 1/N of the mean loss."""


def weight_gradient(delta, a_prev):
    """BP4: dC/dW^l = Delta^l.T @ A^(l-1), summed over the examples of the batch."""
    return delta.T @ a_prev / delta.shape[0]
