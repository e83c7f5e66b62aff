"""The Inception module of GoogLeNet (Szegedy et al. 2015), lecture 07.

Four branches look at the same input side by side, and their outputs are stacked along the
channels::

    x (N, C, H, W) -> 1x1 conv (c1)                          -> (N, c1, H, W)  -+
                   -> 1x1 conv (c3_reduce) -> 3x3 conv (c3)  -> (N, c3, H, W)   |  concatenated:
                   -> 1x1 conv (c5_reduce) -> 5x5 conv (c5)  -> (N, c5, H, W)   |  (N, c1 + c3 + c5 + pool_proj, H, W)
                   -> 3x3 max pool, stride 1 -> 1x1 conv (pool_proj) -> (N, pool_proj, H, W) -+

Every convolution is followed by a ReLU and padded so that all four keep H x W. The 1x1
convolutions in front of the 3x3 and 5x5 ones ("reductions", after the 1x1 layers of Lin,
Chen & Yan 2014) shrink the channels first, which is what makes the module cheap; the one
after the pooling keeps the pooled branch from passing all C channels on.

- ``InceptionModule``  the module of the paper's figure 2(b), with its six widths as arguments
"""
from __future__ import annotations

import torch
from torch import nn

from .._validation import check_instance, check_int

__all__ = ["InceptionModule"]


def _conv_relu(in_channels, out_channels, kernel_size):
    # padding k // 2 keeps H x W for the odd kernel sizes used here (1, 3, 5)
    return [nn.Conv2d(in_channels, out_channels, kernel_size, padding=kernel_size // 2), nn.ReLU()]


class InceptionModule(nn.Module):
    """An Inception module with dimension reductions (Szegedy et al. 2015, figure 2b).

    in_channels C; c1: filters of the 1x1 branch; c3_reduce, c3: the 1x1 reduction and the
    3x3 convolution of the second branch; c5_reduce, c5: the same for the 5x5 branch;
    pool_proj: the 1x1 convolution after the 3x3 max pooling. GoogLeNet's inception (3a) is
    ``InceptionModule(192, 64, 96, 128, 16, 32, 32)``.

    x: (N, C, H, W) -> (N, c1 + c3 + c5 + pool_proj, H, W), the branches' outputs in the order
    above (``out_channels`` holds the sum). Parameters (weights and biases):

        c1 (C + 1) + c3_reduce (C + 1) + c3 (9 c3_reduce + 1)
        + c5_reduce (C + 1) + c5 (25 c5_reduce + 1) + pool_proj (C + 1).

    ``branches`` holds the four branches as ``nn.Sequential``s, in the same order.
    """

    def __init__(self, in_channels, c1, c3_reduce, c3, c5_reduce, c5, pool_proj):
        super().__init__()
        widths = dict(in_channels=in_channels, c1=c1, c3_reduce=c3_reduce, c3=c3, c5_reduce=c5_reduce, c5=c5,
                      pool_proj=pool_proj)
        C, c1, c3_reduce, c3, c5_reduce, c5, pool_proj = (
            check_int(value, name, "InceptionModule", minimum=1) for name, value in widths.items())
        self.in_channels = C
        self.out_channels = c1 + c3 + c5 + pool_proj
        self.branches = nn.ModuleList([
            nn.Sequential(*_conv_relu(C, c1, 1)),
            nn.Sequential(*_conv_relu(C, c3_reduce, 1), *_conv_relu(c3_reduce, c3, 3)),
            nn.Sequential(*_conv_relu(C, c5_reduce, 1), *_conv_relu(c5_reduce, c5, 5)),
            nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), *_conv_relu(C, pool_proj, 1)),
        ])

    def forward(self, x):
        _check_images(x, self.in_channels)
        return torch.cat([branch(x) for branch in self.branches], dim=1)  # (N, out_channels, H, W)


def _check_images(x, channels):
    check_instance(x, "x", "InceptionModule", torch.Tensor, f"a tensor of shape (N, {channels}, H, W)")
    if x.ndim != 4 or x.shape[1] != channels:
        raise ValueError(f"InceptionModule expects x of shape (N, {channels}, H, W); got shape {tuple(x.shape)}.")
