"""Residual networks and the tools of transfer learning (lecture 08).

A residual block adds its input back to what its layers compute, so the layers only have to
learn the *change* F(x) = H(x) - x (He et al. 2015)::

    y = relu(x + F(x))          # ResidualBlock, BottleneckBlock (the paper's two blocks)
    h_{t+1} = h_t + f(h_t)      # DeepStack(residual=True): one Euler step of dh/dt = f(h)

- ``ResidualBlock``    the basic block: two 3x3 convolutions and a shortcut
- ``BottleneckBlock``  1x1 (reduce) -> 3x3 -> 1x1 (expand) and a shortcut, for wide blocks
- ``DeepStack``        a plain or residual MLP of any depth, to compare the two at equal depth
- ``DeepCNN``          the same comparison for a convolutional network on images
- ``DenseBlock``       DenseNet's block: every layer sees the concatenation of all before it
- ``DenseNet``         a small DenseNet: dense blocks joined by transition layers
- ``gradient_norms``   the gradient norm of every layer's weights after a backward pass
- ``freeze``/``unfreeze``  stop/restart training a part of a model (transfer learning)
"""
from __future__ import annotations

import torch
from torch import nn

from .._validation import check_flag, check_instance, check_int, check_real

__all__ = ["DeepStack", "DeepCNN", "DenseBlock", "DenseNet", "ResidualBlock", "BottleneckBlock", "gradient_norms",
           "freeze", "unfreeze"]


class ResidualBlock(nn.Module):
    """The basic residual block of ResNet-18/34 (He et al. 2015, figure 5 left).

    y = relu(shortcut(x) + F(x)),  F(x) = BN(conv3x3(relu(BN(conv3x3(x)))))

    in_channels C_in, out_channels C_out (default C_in), stride s of the first convolution.
    x: (N, C_in, H, W) -> y: (N, C_out, H_out, W_out) with H_out = (H - 1) // s + 1 (padding 1
    keeps the size at s = 1). The shortcut is the identity when the shapes agree, else a
    strided 1x1 convolution with batch norm (the paper's projection shortcut, option B).
    ``branch`` holds F and ``shortcut`` the skip path.
    """

    def __init__(self, in_channels, out_channels=None, stride=1):
        super().__init__()
        in_channels = check_int(in_channels, "in_channels", "ResidualBlock", minimum=1)
        out_channels = (in_channels if out_channels is None
                        else check_int(out_channels, "out_channels", "ResidualBlock", minimum=1))
        stride = check_int(stride, "stride", "ResidualBlock", minimum=1)
        self.in_channels, self.out_channels = in_channels, out_channels
        # no conv biases: the batch norm after each convolution has its own shift (beta)
        self.branch = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(),
            nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
        )
        self.shortcut = _shortcut(in_channels, out_channels, stride)

    def forward(self, x):
        _check_images(type(self).__name__, x, self.in_channels)
        return torch.relu(self.shortcut(x) + self.branch(x))


class BottleneckBlock(nn.Module):
    """The bottleneck block of ResNet-50/101/152 (He et al. 2015, figure 5 right).

    y = relu(shortcut(x) + F(x)),  F = 1x1 conv (C_in -> C_b) -> 3x3 conv (C_b -> C_b)
    -> 1x1 conv (C_b -> C_out), each followed by batch norm and all but the last by a ReLU.

    The first 1x1 convolution shrinks the channels to ``bottleneck_channels`` C_b, so the
    expensive 3x3 convolution runs on few channels; the last one restores ``out_channels``
    C_out (default C_in). The paper's example: 256 -> 64 -> 64 -> 256 channels.
    x: (N, C_in, H, W) -> y: (N, C_out, H_out, W_out), H_out = (H - 1) // stride + 1; the
    stride sits on the 3x3 convolution. Shortcut as in ``ResidualBlock``.
    """

    def __init__(self, in_channels, bottleneck_channels, out_channels=None, stride=1):
        super().__init__()
        in_channels = check_int(in_channels, "in_channels", "BottleneckBlock", minimum=1)
        bottleneck_channels = check_int(bottleneck_channels, "bottleneck_channels", "BottleneckBlock", minimum=1)
        out_channels = (in_channels if out_channels is None
                        else check_int(out_channels, "out_channels", "BottleneckBlock", minimum=1))
        stride = check_int(stride, "stride", "BottleneckBlock", minimum=1)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.bottleneck_channels = bottleneck_channels
        self.branch = nn.Sequential(
            nn.Conv2d(in_channels, bottleneck_channels, 1, bias=False),  # reduce
            nn.BatchNorm2d(bottleneck_channels),
            nn.ReLU(),
            nn.Conv2d(bottleneck_channels, bottleneck_channels, 3, stride=stride, padding=1, bias=False),
            nn.BatchNorm2d(bottleneck_channels),
            nn.ReLU(),
            nn.Conv2d(bottleneck_channels, out_channels, 1, bias=False),  # expand
            nn.BatchNorm2d(out_channels),
        )
        self.shortcut = _shortcut(in_channels, out_channels, stride)

    def forward(self, x):
        _check_images(type(self).__name__, x, self.in_channels)
        return torch.relu(self.shortcut(x) + self.branch(x))


class _TwoLayerBlock(nn.Module):
    """Two weight layers of a DeepStack, with or without the identity shortcut.

    f(h) = W2 relu(BN(W1 relu(BN(h))))  (batch norm optional), and the block returns
    h + f(h) when residual, else f(h). The activation sits inside f ("pre-activation",
    He et al. 2016), so the residual block is exactly one Euler step h + f(h).
    h: (N, width) -> (N, width).
    """

    def __init__(self, width, residual, batch_norm):
        super().__init__()
        layers = []
        for _ in range(2):
            layers += [nn.BatchNorm1d(width)] if batch_norm else []
            layers += [nn.ReLU(), nn.Linear(width, width)]
        self.branch = nn.Sequential(*layers)
        self.residual = residual

    def forward(self, h):
        return h + self.branch(h) if self.residual else self.branch(h)


class DeepStack(nn.Module):
    """A multilayer perceptron of any depth, plain or residual, for comparing the two.

    depth counts the weight layers, as He et al. do: one input layer (in_features -> width),
    (depth - 2) / 2 blocks of two width x width layers, and one output layer
    (width -> num_classes). With ``residual=True`` every block adds its input back
    (h + f(h)); with False it is an ordinary MLP with ReLUs between all layers. Both have
    exactly the same parameters, so any difference in training comes from the shortcuts.

    batch_norm: batch normalisation before every ReLU (as in ResNet); False leaves it out.
    x: (N, in_features) -> logits (N, num_classes).
    ``body`` maps x to the learned features (N, width) (input layer, blocks, a last ReLU);
    ``head`` is the output layer, so ``freeze(model.body)`` keeps the features fixed.
    """

    def __init__(self, in_features, width, depth, num_classes, residual=False, batch_norm=True):
        super().__init__()
        in_features = check_int(in_features, "in_features", "DeepStack", minimum=1)
        width = check_int(width, "width", "DeepStack", minimum=1)
        num_classes = check_int(num_classes, "num_classes", "DeepStack", minimum=1)
        even = "an even integer >= 2 (input layer + blocks of two layers + output layer)"
        depth = check_int(depth, "depth", "DeepStack", minimum=2, allowed=even)
        if depth % 2:
            raise ValueError(f"DeepStack expects depth to be {even}; got {depth}.")
        self.in_features, self.width, self.depth = in_features, width, depth
        self.num_classes, self.residual = num_classes, check_flag(residual, "residual", "DeepStack")
        batch_norm = check_flag(batch_norm, "batch_norm", "DeepStack")
        blocks = [_TwoLayerBlock(width, self.residual, batch_norm) for _ in range((self.depth - 2) // 2)]
        last = [nn.BatchNorm1d(width)] if batch_norm else []
        self.body = nn.Sequential(nn.Linear(in_features, width), *blocks, *last, nn.ReLU())
        self.head = nn.Linear(width, num_classes)

    def features(self, x):
        """The body's output for x (N, in_features): features of shape (N, width)."""
        check_instance(x, "x", "DeepStack", torch.Tensor, f"a tensor of shape (N, {self.in_features})")
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(f"DeepStack expects x of shape (N, {self.in_features}) as a tensor; got {tuple(x.shape)}.")
        return self.body(x)

    def forward(self, x):
        return self.head(self.features(x))


class _TwoConvBlock(nn.Module):
    """Two 3x3 convolutions of a DeepCNN, with or without the identity shortcut.

    f(h) = conv3x3(relu(BN(conv3x3(relu(BN(h)))))), and the block returns h + f(h) when
    residual, else f(h); pre-activation as in ``_TwoLayerBlock``.
    h: (N, width, H, W) -> (N, width, H, W).
    """

    def __init__(self, width, residual):
        super().__init__()
        self.branch = nn.Sequential(
            nn.BatchNorm2d(width), nn.ReLU(), nn.Conv2d(width, width, 3, padding=1, bias=False),
            nn.BatchNorm2d(width), nn.ReLU(), nn.Conv2d(width, width, 3, padding=1, bias=False),
        )
        self.residual = residual

    def forward(self, h):
        return h + self.branch(h) if self.residual else self.branch(h)


class DeepCNN(nn.Module):
    """A convolutional network of any depth, plain or residual: ``DeepStack`` for images.

    depth counts the weight layers: a 3x3 stem convolution (in_channels -> width) and a 2x2
    max-pool, (depth - 2) / 2 blocks of two 3x3 convolutions (width -> width, padding 1),
    with a second 2x2 max-pool after the first half of the blocks, a last BN and ReLU, and
    one linear output layer on the flattened feature maps. With ``residual=True`` every
    block adds its input back (h + f(h)); with False it is a plain CNN with batch norm and a
    ReLU before every convolution. Both have exactly the same parameters:
    width * in_channels * 9 + (depth - 2) * (width^2 * 9 + 2 * width) + 2 * width
    + (width * S + 1) * num_classes, with S = (image_size // 4)^2 positions per map.

    x: (N, in_channels, image_size, image_size) -> logits (N, num_classes).
    ``body`` maps x to the feature maps (N, width, image_size // 4, image_size // 4);
    ``head`` flattens them and applies the output layer.
    """

    def __init__(self, depth, width=16, residual=False, in_channels=1, num_classes=10, image_size=28):
        super().__init__()
        even = "an even integer >= 2 (stem convolution + blocks of two convolutions + output layer)"
        depth = check_int(depth, "depth", "DeepCNN", minimum=2, allowed=even)
        if depth % 2:
            raise ValueError(f"DeepCNN expects depth to be {even}; got {depth}.")
        width = check_int(width, "width", "DeepCNN", minimum=1)
        in_channels = check_int(in_channels, "in_channels", "DeepCNN", minimum=1)
        num_classes = check_int(num_classes, "num_classes", "DeepCNN", minimum=1)
        image_size = check_int(image_size, "image_size", "DeepCNN", minimum=4)
        self.depth, self.width, self.in_channels, self.image_size = depth, width, in_channels, image_size
        self.residual = check_flag(residual, "residual", "DeepCNN")
        blocks = [_TwoConvBlock(width, self.residual) for _ in range((depth - 2) // 2)]
        half = len(blocks) // 2
        self.body = nn.Sequential(
            nn.Conv2d(in_channels, width, 3, padding=1, bias=False), nn.MaxPool2d(2),  # (N, width, H/2, W/2)
            *blocks[:half], nn.MaxPool2d(2), *blocks[half:],                           # (N, width, H/4, W/4)
            nn.BatchNorm2d(width), nn.ReLU(),
        )
        side = image_size // 2 // 2
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(width * side * side, num_classes))

    def forward(self, x):
        _check_images(type(self).__name__, x, self.in_channels, self.image_size)
        return self.head(self.body(x))


class DenseBlock(nn.Module):
    """A dense block of DenseNet (Huang et al. 2017): x_l = H_l([x_0, x_1, ..., x_{l-1}]).

    Layer l (l = 0 .. num_layers - 1) is H_l = BN -> ReLU -> 3x3 conv (padding 1), mapping
    the concatenation of the block's input and all earlier layers' outputs,
    in_channels + l * growth_rate channels, to growth_rate k new ones. The block returns
    the concatenation of its input and of every layer's output.
    x: (N, k0, H, W) -> (N, k0 + num_layers * k, H, W), with x itself in the first k0 channels.
    ``layers[l]`` is the nn.Sequential of H_l.
    """

    def __init__(self, in_channels, growth_rate, num_layers):
        super().__init__()
        self.in_channels = check_int(in_channels, "in_channels", "DenseBlock", minimum=1)
        self.growth_rate = check_int(growth_rate, "growth_rate", "DenseBlock", minimum=1)
        num_layers = check_int(num_layers, "num_layers", "DenseBlock", minimum=1)
        self.out_channels = self.in_channels + num_layers * self.growth_rate
        self.layers = nn.ModuleList(
            nn.Sequential(nn.BatchNorm2d(self.in_channels + l * self.growth_rate), nn.ReLU(),
                          nn.Conv2d(self.in_channels + l * self.growth_rate, self.growth_rate, 3, padding=1,
                                    bias=False))
            for l in range(num_layers))

    def forward(self, x):
        _check_images(type(self).__name__, x, self.in_channels)
        features = [x]
        for layer in self.layers:
            features.append(layer(torch.cat(features, dim=1)))  # x_l = H_l([x_0, ..., x_{l-1}])
        return torch.cat(features, dim=1)  # (N, k0 + L * k, H, W)


class DenseNet(nn.Module):
    """A small DenseNet (Huang et al. 2017) for square images.

    A 3x3 stem convolution (in_channels -> 2k channels, k = growth_rate) and a 2x2 max-pool,
    then one ``DenseBlock`` per entry of ``block_layers``; between two blocks a transition
    layer BN -> ReLU -> 1x1 conv (c -> floor(compression * c) channels) -> 2x2 average pool
    shrinks the channels and halves the maps. A last BN and ReLU, and one linear output
    layer on the flattened feature maps.

    With the defaults (k = 8, blocks of 4 and 4 layers) on 28 x 28 digits the channels run
    16 -> 48 | 24 -> 56 and the maps 14 x 14 -> 7 x 7.
    x: (N, in_channels, image_size, image_size) -> logits (N, num_classes).
    ``body`` maps x to the feature maps (N, C, S, S), S = image_size // 2^len(block_layers);
    ``head`` flattens them and applies the output layer.
    """

    def __init__(self, growth_rate=8, block_layers=(4, 4), in_channels=1, num_classes=10, image_size=28,
                 compression=0.5):
        super().__init__()
        growth_rate = check_int(growth_rate, "growth_rate", "DenseNet", minimum=1)
        block_layers = _check_block_layers(block_layers)
        self.in_channels = check_int(in_channels, "in_channels", "DenseNet", minimum=1)
        num_classes = check_int(num_classes, "num_classes", "DenseNet", minimum=1)
        self.image_size = check_int(image_size, "image_size", "DenseNet", minimum=2 ** len(block_layers))
        compression = check_real(compression, "compression", "DenseNet", minimum=0, maximum=1, open_minimum=True)
        channels, side = 2 * growth_rate, image_size // 2
        layers = [nn.Conv2d(self.in_channels, channels, 3, padding=1, bias=False), nn.MaxPool2d(2)]
        for index, num_layers in enumerate(block_layers):
            block = DenseBlock(channels, growth_rate, num_layers)
            layers.append(block)
            channels = block.out_channels
            if index < len(block_layers) - 1:  # transition: fewer channels, half the size
                reduced = max(1, int(compression * channels))
                layers += [nn.BatchNorm2d(channels), nn.ReLU(), nn.Conv2d(channels, reduced, 1, bias=False),
                           nn.AvgPool2d(2)]
                channels, side = reduced, side // 2
        self.body = nn.Sequential(*layers, nn.BatchNorm2d(channels), nn.ReLU())
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(channels * side * side, num_classes))

    def forward(self, x):
        _check_images(type(self).__name__, x, self.in_channels, self.image_size)
        return self.head(self.body(x))


def gradient_norms(model) -> dict[str, float]:
    """The Euclidean norm of the gradient of every weight matrix or kernel, after a backward.

    One entry per parameter with two or more dimensions (Linear weights, conv kernels), in
    the order of ``model.named_parameters()`` (input side first); biases and batch-norm
    scales are left out. Frozen parameters are skipped; a trainable weight that received no
    gradient counts as 0.0. Returns {parameter name: norm}.
    """
    check_instance(model, "model", "gradient_norms", nn.Module, "a torch.nn.Module")
    weights = [(name, p) for name, p in model.named_parameters() if p.ndim >= 2 and p.requires_grad]
    if not weights:
        raise ValueError("gradient_norms expects a model with at least one trainable weight matrix or kernel; "
                         "found none.")
    if all(p.grad is None for _, p in weights):
        raise ValueError("gradient_norms found no gradients: compute a loss and call loss.backward() first.")
    return {name: (0.0 if p.grad is None else p.grad.detach().norm().item()) for name, p in weights}


def freeze(module):
    """Stop training ``module``: requires_grad = False for all its parameters. Returns it.

    Optimisers built afterwards (e.g. by ``dlcourse.models.fit``) leave it unchanged. Batch
    norm layers still update their running statistics in training mode; call ``.eval()`` on
    the module too if those must stay fixed.
    """
    return _set_requires_grad("freeze", module, False)


def unfreeze(module):
    """Train ``module`` again: requires_grad = True for all its parameters. Returns it."""
    return _set_requires_grad("unfreeze", module, True)


# ---------------------------------------------------------------------------- helpers
def _set_requires_grad(function, module, flag):
    check_instance(module, "module", function, nn.Module, "a torch.nn.Module (a model or a part of one)")
    for parameter in module.parameters():
        parameter.requires_grad_(flag)
    return module


def _shortcut(in_channels, out_channels, stride):
    if stride == 1 and in_channels == out_channels:
        return nn.Identity()
    # projection: match the channels and the size of the branch's output
    return nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                         nn.BatchNorm2d(out_channels))


def _check_block_layers(block_layers):
    allowed = "a non-empty tuple of layer counts, one per dense block, e.g. (4, 4)"
    check_instance(block_layers, "block_layers", "DenseNet", (tuple, list), allowed)
    if not block_layers:
        raise ValueError(f"DenseNet expects block_layers to be {allowed}; got {block_layers!r}.")
    return tuple(check_int(n, "each entry of block_layers", "DenseNet", minimum=1) for n in block_layers)


def _check_images(block, x, channels, size=None):
    expected = f"(N, {channels}, H, W)" if size is None else f"(N, {channels}, {size}, {size})"
    check_instance(x, "x", block, torch.Tensor, f"a tensor of shape {expected}")
    if x.ndim != 4 or x.shape[1] != channels or (size is not None and tuple(x.shape[2:]) != (size, size)):
        raise ValueError(f"{block} expects x of shape {expected} as a tensor; got {tuple(x.shape)}.")
