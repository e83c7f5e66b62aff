"""Ends the network with nn.Softmax, so it returns probabilities and nn.CrossEntropyLoss applies a second softmax."""
from torch import nn


def build_cnn():
    """A new, untrained convolutional network for 28x28 grey digits."""
    return nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=5), nn.MaxPool2d(2), nn.BatchNorm2d(16), nn.ReLU(),
        nn.Conv2d(16, 32, kernel_size=5), nn.MaxPool2d(2), nn.BatchNorm2d(32), nn.ReLU(),
        nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 10),
        nn.Softmax(dim=1),
    )
