"""Forgets the factor tanh'(z) of BP2 and returns delta_next @ W_next alone."""


def hidden_delta(delta_next, W_next, z):
    """BP2 through a tanh layer: Delta^l = (Delta^(l+1) @ W_(l+1)) * (1 - tanh(z^l)^2)."""
    return delta_next @ W_next
