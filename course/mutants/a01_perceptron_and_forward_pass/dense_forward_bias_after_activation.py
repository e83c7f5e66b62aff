"""Adds the bias after the activation, activation(X @ W) + b, instead of inside it."""


def dense_forward(X, W, b, activation):
    """Forward pass of a dense layer, activation(X @ W + b)."""
    return activation(X @ W) + b
