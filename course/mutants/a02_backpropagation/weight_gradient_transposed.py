"""Multiplies in the wrong order, a_prev.T @ delta, which gives the transpose (n_prev, n) of the gradient."""


def weight_gradient(delta, a_prev):
    """BP4: dC/dW^l = Delta^l.T @ A^(l-1), summed over the examples of the batch."""
    return a_prev.T @ delta
