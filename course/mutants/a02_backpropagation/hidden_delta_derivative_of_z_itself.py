"""Writes the tanh derivative as 1 - z^2, applying the formula 1 - a^2 to the pre-activation instead of a = tanh(z)."""


def hidden_delta(delta_next, W_next, z):
    """BP2 through a tanh layer: Delta^l = (Delta^(l+1) @ W_(l+1)) * (1 - tanh(z^l)^2)."""
    return (delta_next @ W_next) * (1.0 - z ** 2)
