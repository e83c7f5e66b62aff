"""LeNet, the convolutional network of LeCun et al. (1998), and a look at its feature maps (lecture 07).

Two convolution + pooling stages extract features, three dense layers classify them::

    x (N, 1, 28, 28)
    -> conv1 5x5, padding 2, ReLU  (N, 6, 28, 28)
    -> pool1 2x2 max, stride 2     (N, 6, 14, 14)
    -> conv2 5x5, ReLU             (N, 16, 10, 10)
    -> pool2 2x2 max, stride 2     (N, 16, 5, 5)
    -> flatten                     (N, 400)
    -> fc1 ReLU (N, 120) -> fc2 ReLU (N, 84) -> fc3 (N, 10) logits

The paper fed 32x32 images to an unpadded first convolution; padding MNIST's 28x28 digits by 2
is the same thing. It used scaled tanh units and trainable average pooling ("subsampling");
ReLU and max pooling, used here, train faster and are what later networks kept.

- ``LeNet``         the network, with the number of filters and hidden units as arguments
- ``feature_maps``  the activations after each convolution and pooling stage, for pictures
"""
from __future__ import annotations

import torch
from torch import nn

from .._validation import check_instance, check_int, check_tensor, check_widths

__all__ = ["LeNet", "feature_maps"]

_SIDE = 28  # input height and width the dense layers are sized for


class LeNet(nn.Module):
    """LeNet-5 for 28x28 images: conv-pool-conv-pool-dense-dense-dense.

    in_channels C (1 for grey digits), num_classes K, channels (c1, c2): filters of the two
    5x5 convolutions, hidden (h1, h2): units of the two hidden dense layers. The defaults
    are the paper's sizes and give 61,706 parameters for C = 1, K = 10; in general

        c1 (25 C + 1) + c2 (25 c1 + 1) + h1 (25 c2 + 1) + h2 (h1 + 1) + K (h2 + 1).

    x: (N, C, 28, 28) float tensor -> logits (N, K) (no softmax: ``fit`` uses cross-entropy).
    The shapes in between are in the module docstring; ``feature_maps`` returns them.
    """

    def __init__(self, in_channels=1, num_classes=10, channels=(6, 16), hidden=(120, 84)):
        super().__init__()
        self.in_channels = check_int(in_channels, "in_channels", "LeNet", minimum=1)
        self.num_classes = check_int(num_classes, "num_classes", "LeNet", minimum=1)
        c1, c2 = _check_pair("channels", channels, example="(6, 16)")
        h1, h2 = _check_pair("hidden", hidden, example="(120, 84)")
        self.conv1 = nn.Conv2d(self.in_channels, c1, kernel_size=5, padding=2)  # keeps 28x28
        self.pool1 = nn.MaxPool2d(kernel_size=2, stride=2)
        self.conv2 = nn.Conv2d(c1, c2, kernel_size=5)  # 14x14 -> 10x10: no padding
        self.pool2 = nn.MaxPool2d(kernel_size=2, stride=2)
        self.fc1 = nn.Linear(c2 * 5 * 5, h1)
        self.fc2 = nn.Linear(h1, h2)
        self.fc3 = nn.Linear(h2, self.num_classes)

    def stages(self, x):
        """Yield (name, activation) after conv1, pool1, conv2 and pool2, in order (the conv stages after their ReLU)."""
        _check_images(x, self.in_channels)
        x = torch.relu(self.conv1(x))  # (N, c1, 28, 28)
        yield "conv1", x
        x = self.pool1(x)  # (N, c1, 14, 14)
        yield "pool1", x
        x = torch.relu(self.conv2(x))  # (N, c2, 10, 10)
        yield "conv2", x
        x = self.pool2(x)  # (N, c2, 5, 5)
        yield "pool2", x

    def forward(self, x):
        for _, x in self.stages(x):
            pass  # x ends as pool2's output
        x = x.flatten(start_dim=1)  # (N, c2 * 25)
        x = torch.relu(self.fc1(x))  # (N, h1)
        x = torch.relu(self.fc2(x))  # (N, h2)
        return self.fc3(x)  # (N, K) logits


@torch.no_grad()
def feature_maps(model, x):
    """The activations of each convolution and pooling stage of a ``LeNet``, without gradients.

    x: (N, C, 28, 28) images (a tensor, or a NumPy array converted to float32); one image
    (C, 28, 28) is also accepted and treated as N = 1.
    Returns a list of (name, tensor) pairs: ("conv1", (N, c1, 28, 28)), ("pool1", (N, c1, 14, 14)),
    ("conv2", (N, c2, 10, 10)), ("pool2", (N, c2, 5, 5)); the conv maps are after their ReLU.
    The model is put in evaluation mode.
    """
    check_instance(model, "model", "feature_maps", LeNet, "a dlcourse.models.LeNet")
    if not isinstance(x, torch.Tensor):
        x = check_tensor(x, "x", "feature_maps")
    if x.ndim == 3:
        x = x.unsqueeze(0)  # one image -> a batch of one
    model.eval()
    return list(model.stages(x))


# ---------------------------------------------------------------------------- validation
def _check_images(x, channels):
    expected = f"(N, {channels}, {_SIDE}, {_SIDE})"
    check_instance(x, "x", "LeNet", torch.Tensor, f"a float tensor of shape {expected}")
    if x.ndim != 4 or tuple(x.shape[1:]) != (channels, _SIDE, _SIDE):
        whole_images = x.numel() > 0 and x.numel() % (channels * _SIDE * _SIDE) == 0
        hint = (f"; reshape it with x.reshape(-1, {channels}, {_SIDE}, {_SIDE}) (dlcourse.datasets.mnist_5k "
                "gives this shape with shape='image')") if whole_images and x.ndim != 4 else ""
        raise ValueError(f"LeNet expects x of shape {expected}; got shape {tuple(x.shape)}{hint}.")


def _check_pair(name, value, example):
    """Two positive widths: TypeError if they are not integers, ValueError if not exactly two."""
    widths = check_widths(value, name, "LeNet", example=example)
    if len(widths) != 2:
        raise ValueError(f"LeNet expects {name} to be a pair of positive integers such as {example}; got {value!r}.")
    return widths
