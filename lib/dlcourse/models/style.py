"""Neural style transfer: Gatys, Ecker & Bethge (2015, 2016) (lecture 13).

A fixed convolutional network describes an image at several depths. The generated image x
should have the *features* of the content image at a deep layer and the *feature
correlations* (Gram matrices) of the style image at several layers; x itself is what the
optimiser changes::

    F_l: (N_l, M_l)  features of layer l (channels x positions) for x; P_l for the content image
    G_l = F_l F_l^T                                    gram_matrix      (N_l, N_l); A_l for the style
    L_content = 1/2 sum (F_l - P_l)^2                  content_loss
    E_l = 1/(4 N_l^2 M_l^2) sum (G_l - A_l)^2           style_loss, one layer
    L_style = sum_l w_l E_l                            style_loss, several layers
    L = alpha L_content + beta L_style (+ tv_weight * total_variation(x)), minimised over x

- ``FeatureExtractor``  the fixed network: ``"random"`` (a multi-scale CNN with random weights,
                        works offline) or ``"vgg19"`` (Simonyan & Zisserman 2014, ImageNet weights
                        from a local Keras file)
- ``gram_matrix``, ``content_loss``, ``style_loss``, ``total_variation``  the losses above
- ``transfer_style``    optimise the pixels (L-BFGS or Adam); returns the image and a history
"""
from __future__ import annotations

import math
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .. import config
from .._loop import TrainingLog
from .._validation import check_choice, check_instance, check_int, check_real, shown
from ..config import progress as _progress

__all__ = ["FeatureExtractor", "content_loss", "gram_matrix", "style_loss", "total_variation", "transfer_style"]

# The file Keras' VGG19(weights="imagenet", include_top=False) downloads into ~/.keras/models.
_VGG19_KERAS_FILE = "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5"

# Random backbone: one stage per scale, each a bank of convolutions with several kernel sizes
# (channels per size) followed by a ReLU; 2x2 average pooling between stages. Five scales see
# patches of 7 to ~100 pixels, several kernel sizes per scale add in-between sizes.
_RANDOM_STAGES = (((3, 5, 7), 16), ((3, 5), 32), ((3, 5), 64), ((3,), 128), ((3,), 128))
# VGG19 (configuration E): 3x3 convolutions per block, 2x2 pooling after each block.
_VGG19_BLOCKS = ((64, 64), (128, 128), (256, 256, 256, 256), (512, 512, 512, 512), (512, 512, 512, 512))
# Per-channel means of ImageNet; the random backbone standardises its input with them, and the
# Keras VGG19 was trained on BGR images in 0..255 minus the BGR means ("caffe" preprocessing).
_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)
_CAFFE_BGR_MEAN = (103.939, 116.779, 123.68)
_MIN_SIDE = 32  # four 2x2 poolings leave 2 x 2 positions in the deepest layer
_LOSS_NAMES = ("content_loss", "style_loss", "total_variation", "loss")  # the lists transfer_style's history holds


# ------------------------------------------------------------------------------ the network
class FeatureExtractor(nn.Module):
    """A fixed CNN that returns the feature maps of chosen layers, for the style-transfer losses.

    backbone: ``"random"`` (default) or ``"vgg19"``.

    - ``"random"``: five scales of random convolutions, layers ``conv1`` ... ``conv5``.
      conv1 works on the full image with 16 filters each of size 3x3, 5x5 and 7x7 (48
      channels); conv2 on its output pooled to 1/2 (32 filters each of 3x3 and 5x5, 64
      channels); conv3 at 1/4 (64 each of 3x3 and 5x5, 128); conv4 at 1/8 and conv5 at 1/16
      (3x3, 128 each). Every convolution is followed by a ReLU (the filters of one layer are
      concatenated first), with 2x2 average pooling between the scales and reflection padding.
      Weights are drawn from N(0, 2 / fan_in) (He et al. 2015), so activations keep their size
      from layer to layer, and biases from N(0, 1), which spreads the ReLU thresholds so the
      features respond to more than the covariance of the pixels. Nothing is trained: random
      multi-scale filters already capture textures (Ustyuzhaninov et al. 2017; He, Wang &
      Hopcroft 2016). ``seed`` fixes the weights; the global random state is not touched.
      Defaults: content layer ``conv3``, style layers ``conv1`` ... ``conv5``.
    - ``"vgg19"``: the 16 convolutions of VGG19 with ImageNet weights from a Keras file
      (``weights``: a path; None looks for ``~/.keras/models/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5``,
      or under ``$KERAS_HOME``; ``"random"`` keeps PyTorch's random initialisation, for
      experiments). Nothing is downloaded: a missing file raises ``FileNotFoundError`` saying
      where to put it. Layers ``conv1_1`` ... ``conv5_4`` (after their ReLU, as Gatys et al.).
      Defaults: content ``conv4_2``, style ``conv1_1``, ``conv2_1``, ``conv3_1``, ``conv4_1``,
      ``conv5_1`` (Gatys et al. 2016).

    pooling: ``"avg"`` (default; Gatys et al. found average pooling gives smoother images) or
        ``"max"`` (VGG19 as trained).
    layers: names of the layers ``forward`` returns; None = the default content and style layers.

    forward(x, layers=None): x (N, 3, H, W) RGB images with values in [0, 1], H and W >= 32;
    layers overrides ``self.layers`` for this call. Returns a dict {layer name: feature maps
    (N, C_l, H_l, W_l)} in network order; the network stops at the deepest layer asked for.
    The parameters do not require gradients, but the gradient flows back to x.
    """

    def __init__(self, backbone="random", *, weights=None, seed=0, pooling="avg", layers=None):
        super().__init__()
        check_choice(backbone, "backbone", "FeatureExtractor", ("random", "vgg19"))
        check_choice(pooling, "pooling", "FeatureExtractor", ("avg", "max"))
        self.backbone, self.pooling = backbone, pooling
        if backbone == "random":
            if weights is not None:
                raise ValueError("FeatureExtractor(backbone='random') draws its own weights; leave weights=None "
                                 "(choose them with seed=...) or use backbone='vgg19' to load a file.")
            seed = check_int(seed, "seed", "FeatureExtractor", minimum=0)
            self.stages, self.layer_names = _random_stages(seed)
            self.content_layers, self.style_layers = ["conv3"], ["conv1", "conv2", "conv3", "conv4", "conv5"]
        else:
            self.stages, self.layer_names = _vgg19_stages()
            self.content_layers = ["conv4_2"]
            self.style_layers = ["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"]
            if isinstance(weights, str) and weights == "random":
                self.weights_file = None
            else:
                self.weights_file = _find_vgg19_weights(weights)
                _load_keras_vgg19(self, self.weights_file)
        if layers is None:
            layers = [name for name in self.layer_names if name in self.content_layers + self.style_layers]
        self.layers = self._check_layers("layers", layers)
        self.requires_grad_(False)
        self.eval()

    def forward(self, x, layers=None):
        _check_batch("FeatureExtractor", x)
        wanted = set(self.layers if layers is None else self._check_layers("layers", layers))
        if self.backbone == "random":
            mean = x.new_tensor(_IMAGENET_MEAN).view(1, 3, 1, 1)
            h = (x - mean) / x.new_tensor(_IMAGENET_STD).view(1, 3, 1, 1)
        else:
            # Keras "caffe" preprocessing: RGB in [0, 1] -> BGR in 0..255 minus the BGR means
            h = x.flip(1) * 255.0 - x.new_tensor(_CAFFE_BGR_MEAN).view(1, 3, 1, 1)
        pool = F.avg_pool2d if self.pooling == "avg" else F.max_pool2d
        features = {}
        for index, stage in enumerate(self.stages):
            if index > 0:
                h = pool(h, 2)  # (N, C, H/2, W/2)
            for name, convs in stage.items():
                h = torch.relu(torch.cat([conv(h) for conv in convs], dim=1))  # (N, C_l, H_l, W_l)
                if name in wanted:
                    features[name] = h
                    if len(features) == len(wanted):
                        return features  # nothing deeper is needed
        return features

    def _check_layers(self, argument, names):
        if isinstance(names, str):
            names = [names]
        check_instance(names, argument, "FeatureExtractor", Iterable, "a layer name or a list of layer names")
        names = list(names)
        unknown = [name for name in names if name not in self.layer_names]
        if not names or unknown:
            raise ValueError(f"FeatureExtractor({self.backbone!r}) has layers {', '.join(self.layer_names)}; "
                             f"{argument} got {unknown or names!r}.")
        return [name for name in self.layer_names if name in names]  # network order, no repeats

    def extra_repr(self):
        return f"backbone={self.backbone!r}, pooling={self.pooling!r}, layers={self.layers}"


def _random_stages(seed):
    generator = config.torch_generator(seed)
    stages, names, in_channels = nn.ModuleList(), [], 3
    for index, (kernel_sizes, per_size) in enumerate(_RANDOM_STAGES, start=1):
        convs = nn.ModuleList()
        for size in kernel_sizes:
            with torch.random.fork_rng(devices=[]):  # Conv2d's own initialisation must not use up global draws
                conv = nn.Conv2d(in_channels, per_size, size, padding=size // 2, padding_mode="reflect")
            with torch.no_grad():
                conv.weight.copy_(torch.randn(conv.weight.shape, generator=generator)
                                  * math.sqrt(2.0 / (in_channels * size * size)))  # He et al. 2015
                conv.bias.copy_(torch.randn(conv.bias.shape, generator=generator))
            convs.append(conv)
        stages.append(nn.ModuleDict({f"conv{index}": convs}))
        names.append(f"conv{index}")
        in_channels = per_size * len(kernel_sizes)
    return stages, names


def _vgg19_stages():
    stages, names, in_channels = nn.ModuleList(), [], 3
    for block, widths in enumerate(_VGG19_BLOCKS, start=1):
        stage = nn.ModuleDict()
        for number, width in enumerate(widths, start=1):
            stage[f"conv{block}_{number}"] = nn.ModuleList([nn.Conv2d(in_channels, width, 3, padding=1)])
            names.append(f"conv{block}_{number}")
            in_channels = width
        stages.append(stage)
    return stages, names


# --------------------------------------------------------------------- VGG19 weights from Keras
def _keras_models_dir():
    # Keras keeps downloads in $KERAS_HOME/models, by default ~/.keras/models.
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras") / "models"


def _find_vgg19_weights(weights):
    if weights is None:
        path = _keras_models_dir() / _VGG19_KERAS_FILE
        if not path.is_file():
            raise FileNotFoundError(
                f"FeatureExtractor(backbone='vgg19') needs the ImageNet weights of VGG19, and nothing is "
                f"downloaded here: there is no file {path}. Copy {_VGG19_KERAS_FILE} (80 MB, the file Keras' "
                f"VGG19(weights='imagenet', include_top=False) saves) into {path.parent}, or pass "
                f"weights='path/to/{_VGG19_KERAS_FILE}'; or use backbone='random', which needs no file.")
        return path
    if not isinstance(weights, (str, os.PathLike)):
        raise TypeError("FeatureExtractor expects weights to be a path to a Keras .h5 file, 'random' or None; "
                        f"got {type(weights).__name__}.")
    path = Path(weights).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"FeatureExtractor(backbone='vgg19') found no weights file at {path}; pass the "
                                f"path of {_VGG19_KERAS_FILE} (Keras' VGG19 ImageNet weights without the top).")
    return path


def _load_keras_vgg19(extractor, path):
    """Copy the 16 convolutions of a Keras VGG19 .h5 file into ``extractor`` (in place).

    Keras keeps a layer's weights in the group named after it ("block1_conv1"), kernel first,
    then bias, in the order of the group's "weight_names" attribute. A Keras kernel has shape
    (kh, kw, C_in, C_out); a torch Conv2d weight is (C_out, C_in, kh, kw). Both cross-correlate,
    so the kernel is only transposed, never flipped.
    """
    import h5py

    with h5py.File(path, "r") as file:
        root = file.get("model_weights", file)  # files of a whole model keep the weights one level down
        for stage in extractor.stages:
            for name, (conv,) in stage.items():
                block, number = name[4:].split("_")
                group_name = f"block{block}_conv{number}"
                if group_name not in root:
                    raise ValueError(f"FeatureExtractor could not read {path}: it has no layer {group_name!r}, so it "
                                     f"is not a Keras VGG19 weights file ({_VGG19_KERAS_FILE}).")
                group = root[group_name]
                names = [n.decode() if isinstance(n, bytes) else str(n) for n in group.attrs.get("weight_names", [])]
                kernel, bias = (np.asarray(group[n]) for n in names[:2]) if len(names) >= 2 else (None, None)
                expected = tuple(conv.weight.shape[2:]) + tuple(conv.weight.shape[:2][::-1])
                if kernel is None or kernel.shape != expected or bias.shape != (conv.out_channels,):
                    got = "no weights" if kernel is None else f"kernel {kernel.shape}, bias {bias.shape}"
                    raise ValueError(f"FeatureExtractor could not read {path}: layer {group_name} should hold a kernel "
                                     f"{expected} and a bias ({conv.out_channels},); found {got}.")
                with torch.no_grad():
                    conv.weight.copy_(torch.from_numpy(kernel.transpose(3, 2, 0, 1).copy()))  # (C_out, C_in, kh, kw)
                    conv.bias.copy_(torch.from_numpy(bias))


# ------------------------------------------------------------------------------- the losses
def gram_matrix(features):
    """The Gram matrix G = F F^T of one layer's features: G_ij = sum_k F_ik F_jk.

    features: F of shape (N_l, M_l) (channels x positions), or feature maps (N_l, H, W) or
    (1, N_l, H, W), which are flattened to (N_l, H*W) first.
    Returns G (N_l, N_l), symmetric and positive semi-definite. Not normalised: the entries
    grow with the number of positions M_l (the style loss divides by it).
    """
    F_l = _as_feature_matrix("gram_matrix", features)  # (N_l, M_l)
    return F_l @ F_l.T  # (N_l, N_l)


def content_loss(features, content_features):
    """L_content = 1/2 sum_ij (F_ij - P_ij)^2 for one layer.

    features: F, the generated image's features; content_features: P, the content image's
    features at the same layer; any shape, the same for both (e.g. (N_l, M_l) or (1, N_l, H, W)).
    Returns a scalar tensor. Its gradient with respect to F is F - P.
    """
    F_l, P_l = _as_tensor("content_loss", "features", features), _as_tensor("content_loss", "content_features",
                                                                          content_features)
    if F_l.shape != P_l.shape:
        raise ValueError(f"content_loss expects features and content_features of the same shape (the same layer "
                         f"of images of the same size); got {tuple(F_l.shape)} and {tuple(P_l.shape)}.")
    return 0.5 * ((F_l - P_l) ** 2).sum()


def style_loss(features, style_grams, weights=None):
    """L_style = sum_l w_l E_l with E_l = 1/(4 N_l^2 M_l^2) sum_ij (G_l - A_l)_ij^2.

    features: the generated image's features F_l of one layer, (N_l, M_l) or feature maps
        (N_l, H, W) / (1, N_l, H, W), or a list of them, one per style layer.
    style_grams: the style image's Gram matrices A_l (N_l, N_l), one per entry of features
        (a single matrix when features is a single layer). G_l = gram_matrix(F_l).
    weights: w_l, one number per layer; None gives every layer 1 / (number of layers).
    M_l is the number of positions of F_l; the style image should have the same size as
    the generated one, since an unnormalised Gram matrix grows with M_l.
    Returns a scalar tensor.
    """
    single = torch.is_tensor(features) or isinstance(features, np.ndarray)
    layers = [features] if single else list(features)
    grams = [style_grams] if single else list(style_grams)
    if not layers or len(grams) != len(layers):
        raise ValueError(f"style_loss expects one style Gram matrix per layer of features; got {len(layers)} layers "
                         f"and {len(grams)} Gram matrices.")
    if weights is None:
        weights = [1.0 / len(layers)] * len(layers)
    weights = _check_weights("style_loss", weights, len(layers))
    total = 0.0
    for w_l, F_l, A_l in zip(weights, layers, grams):
        F_l = _as_feature_matrix("style_loss", F_l)  # (N_l, M_l)
        A_l = _as_tensor("style_loss", "style_grams", A_l)
        N_l, M_l = F_l.shape
        if A_l.shape != (N_l, N_l):
            raise ValueError(f"style_loss expects each style Gram matrix to be (N_l, N_l) = ({N_l}, {N_l}) for "
                             f"features of {N_l} channels; got {tuple(A_l.shape)}.")
        G_l = F_l @ F_l.T  # (N_l, N_l)
        E_l = ((G_l - A_l) ** 2).sum() / (4.0 * N_l ** 2 * M_l ** 2)
        total = total + w_l * E_l
    return total


def total_variation(image):
    """The squared total variation: sum of squared differences of neighbouring pixels.

    TV(x) = sum_{i,j} (x_{i+1,j} - x_{i,j})^2 + (x_{i,j+1} - x_{i,j})^2, summed over channels.
    image: a tensor (..., H, W), e.g. (N, C, H, W), (C, H, W) or (H, W): the last two axes are
    rows and columns. Small for smooth images; a penalty on it removes pixel noise
    (Mahendran & Vedaldi 2015). Returns a scalar tensor.
    """
    x = _as_tensor("total_variation", "image", image)
    if x.ndim < 2:
        raise ValueError(f"total_variation expects an image with rows and columns as its last two axes, such as "
                         f"(N, C, H, W); got shape {tuple(x.shape)}.")
    vertical = ((x[..., 1:, :] - x[..., :-1, :]) ** 2).sum()
    horizontal = ((x[..., :, 1:] - x[..., :, :-1]) ** 2).sum()
    return vertical + horizontal


# --------------------------------------------------------------------------- the optimisation
def transfer_style(content, style, *, extractor=None, alpha=1.0, beta=1e8, tv_weight=0.0, steps=300, lr=None,
                   optimizer="lbfgs", init="content", content_layers=None, style_layers=None, style_weights=None,
                   snapshots=None, seed=0, progress=None):
    """Paint the content image in the style of the style image (Gatys et al. 2016).

    Minimises  alpha * L_content + beta * L_style + tv_weight * TV(x)  over the pixels x of
    the generated image; the extractor's weights stay fixed. Pixels are kept in [0, 1]: Adam
    clips them after every step; L-BFGS runs unconstrained (clipping between its steps would
    spoil its curvature estimates) and the image is clipped when it is stored and at the end.

    content, style: images of the same size, (H, W, 3) or grey (H, W) arrays/tensors with
        values in [0, 1] (as ``dlcourse.datasets.image`` gives), or tensors (1, 3, H, W).
    extractor: a ``FeatureExtractor``; None builds ``FeatureExtractor("random")``.
    alpha, beta, tv_weight: weights of the content loss, the style loss and the total variation.
    steps: optimiser steps; each step evaluates the loss and its gradient once.
    lr: step size; None gives 1.0 for ``optimizer="lbfgs"`` and 0.02 for ``"adam"``.
    init: start from the ``"content"`` image (fast) or from uniform ``"noise"`` (Gatys et al.;
        drawn with ``seed``).
    content_layers, style_layers, style_weights: the layers of L_content and L_style and the
        w_l; None takes the extractor's defaults and equal weights 1 / (number of style layers).
    snapshots: steps at which to keep a copy of the image; None keeps 5 evenly spaced ones.
    progress: show a progress bar; None follows ``dlcourse.set_progress``.

    Returns (image, history): image (H, W, 3) float32 in [0, 1]; history a dict with the lists
    "content_loss", "style_loss", "total_variation" (unweighted) and "loss" (weighted total),
    each with steps + 1 values (the start, then after every step), and "snapshots", a dict
    {step: image (H, W, 3)}.
    """
    (x_content, x_style, extractor, alpha, beta, tv_weight, steps, lr, content_layers, style_layers, weights,
     snapshots) = _check_transfer(content, style, extractor, alpha, beta, tv_weight, steps, lr, optimizer, init,
                                  content_layers, style_layers, style_weights, snapshots, seed)
    losses = _total_loss(extractor, x_content, x_style, content_layers, style_layers, weights, alpha, beta, tv_weight)
    if init == "content":
        x = x_content.clone()
    else:
        x = torch.rand(x_content.shape, generator=config.torch_generator(seed))
    x.requires_grad_(True)
    opt, scale = _optimizer(optimizer, x, lr, losses)  # minimises scale * L: the same minimum
    last = {}  # the losses of x_step, from the one evaluation of each step

    def closure():
        opt.zero_grad()
        loss, parts = losses(x)  # L = alpha L_content + beta L_style + tv_weight TV(x)
        (loss * scale).backward()  # the gradient dL/dx flows back through the fixed network to the pixels
        last["loss"], last["parts"] = loss.detach(), [part.detach() for part in parts]
        return loss * scale

    kept = {}  # step -> image (H, W, 3)
    with TrainingLog(_LOSS_NAMES, live=False, xlabel="step") as log:
        bar = _progress(range(steps), desc="style transfer", disable=None if progress is None else not progress)
        for step in bar:
            if step in snapshots:
                kept[step] = _to_numpy_image(x)
            opt.step(closure)  # evaluates the loss of x_step, then moves x to x_{step+1}
            _record(log, step, last["loss"], last["parts"], lr, beta)
            if optimizer == "adam":
                with torch.no_grad():
                    x.clamp_(0.0, 1.0)  # keep a valid image
            if step % 10 == 0:
                bar.set_postfix(content=f"{log.history['content_loss'][-1]:.3g}",
                                style=f"{log.history['style_loss'][-1]:.3g}")
        with torch.no_grad():
            x.clamp_(0.0, 1.0)  # the image returned is a valid one, and its losses are the last ones recorded
            loss, parts = losses(x)
        _record(log, steps, loss, parts, lr, beta)
    if steps in snapshots:
        kept[steps] = _to_numpy_image(x)
    return _to_numpy_image(x), {**log.history, "snapshots": kept}


def _check_transfer(content, style, extractor, alpha, beta, tv_weight, steps, lr, optimizer, init, content_layers,
                    style_layers, style_weights, snapshots, seed):
    """transfer_style's arguments, checked and converted; lr and the layers, weights and snapshots filled in."""
    x_content = _as_image("content", content)  # (1, 3, H, W)
    x_style = _as_image("style", style)
    if x_content.shape != x_style.shape:
        raise ValueError(f"transfer_style expects content and style images of the same size (an unnormalised Gram "
                         f"matrix grows with the number of pixels); got {tuple(x_content.shape[2:])} and "
                         f"{tuple(x_style.shape[2:])}. Load both with dlcourse.datasets.image(name, size=...).")
    if extractor is None:
        extractor = FeatureExtractor("random")
    check_instance(extractor, "extractor", "transfer_style", FeatureExtractor, "a FeatureExtractor")
    alpha, beta, tv_weight = (check_real(value, name, "transfer_style", minimum=0) for name, value in
                              (("alpha", alpha), ("beta", beta), ("tv_weight", tv_weight)))
    steps = check_int(steps, "steps", "transfer_style", minimum=1)
    check_choice(optimizer, "optimizer", "transfer_style", ("lbfgs", "adam"))
    lr = ((1.0 if optimizer == "lbfgs" else 0.02) if lr is None
          else check_real(lr, "lr", "transfer_style", minimum=0, open_minimum=True))
    check_choice(init, "init", "transfer_style", ("content", "noise"))
    check_int(seed, "seed", "transfer_style", minimum=0)
    content_layers = extractor._check_layers("content_layers", content_layers or extractor.content_layers)
    style_layers = extractor._check_layers("style_layers", style_layers or extractor.style_layers)
    weights = [1.0 / len(style_layers)] * len(style_layers) if style_weights is None else style_weights
    weights = _check_weights("transfer_style", weights, len(style_layers), argument="style_weights")
    snapshots = sorted(set(np.linspace(0, steps, 5).round().astype(int).tolist() if snapshots is None
                           else _check_snapshots(snapshots, steps)))
    return (x_content, x_style, extractor, alpha, beta, tv_weight, steps, lr, content_layers, style_layers, weights,
            snapshots)


def _total_loss(extractor, x_content, x_style, content_layers, style_layers, weights, alpha, beta, tv_weight):
    """The function x -> (L, (L_content, L_style, TV(x))), with the targets P_l and A_l computed once."""
    used_layers = content_layers + style_layers
    with torch.no_grad():
        targets_content = extractor(x_content, layers=content_layers)  # {layer: P_l (1, N_l, H_l, W_l)}
        style_features = extractor(x_style, layers=style_layers)
        targets_style = [gram_matrix(style_features[n][0]) for n in style_layers]  # A_l (N_l, N_l)

    def losses(x):
        features = extractor(x, layers=used_layers)
        L_content = sum(content_loss(features[n], targets_content[n]) for n in content_layers)
        L_style = style_loss([features[n][0] for n in style_layers], targets_style, weights)
        tv = total_variation(x)
        return alpha * L_content + beta * L_style + tv_weight * tv, (L_content, L_style, tv)

    return losses


def _optimizer(optimizer, x, lr, losses):
    """(the optimiser of the pixels x, the factor its loss is scaled by)."""
    if optimizer == "adam":
        return torch.optim.Adam([x], lr=lr), 1.0
    # L-BFGS without a line search steps by -lr * gradient until it has curvature pairs;
    # scaling the loss so the first gradient's largest entry is 0.01 keeps such steps at
    # <= 0.01 per pixel whatever alpha and beta are. Afterwards L-BFGS is scale-free.
    loss_0, _ = losses(x)
    gradient_0, = torch.autograd.grad(loss_0, x)
    scale = 0.01 / max(gradient_0.abs().max().item(), 1e-30)
    # max_iter=1: one L-BFGS iteration (one loss evaluation) per step; the curvature history persists
    return torch.optim.LBFGS([x], lr=lr, max_iter=1, history_size=20), scale


def _record(log, step, loss, parts, lr, beta):
    """Log the losses of one step (unweighted parts, weighted total); a loss that is no longer finite stops the run."""
    if not math.isfinite(loss.item()):
        raise FloatingPointError(f"transfer_style: the loss became {loss.item()} at step {step}; lower lr "
                                 f"(now {lr}) or beta (now {beta}).")
    log.record(step, loss=loss, **dict(zip(_LOSS_NAMES[:3], parts)))


# ---------------------------------------------------------------------------- helpers
def _to_numpy_image(x):
    return x.detach()[0].clamp(0.0, 1.0).permute(1, 2, 0).numpy().astype(np.float32).copy()  # (H, W, 3)


def _as_tensor(function, name, value):
    """value as a float tensor, unconverted, so the gradient still flows through it."""
    if isinstance(value, np.ndarray):
        value = torch.from_numpy(value)
    if not torch.is_tensor(value) or not value.is_floating_point():
        raise TypeError(f"{function} expects {name} to be a float tensor (or NumPy array); got "
                        f"{type(value).__name__}{' of dtype ' + str(value.dtype) if hasattr(value, 'dtype') else ''}.")
    return value


def _as_feature_matrix(function, features):
    F_l = _as_tensor(function, "features", features)
    if F_l.ndim == 4 and F_l.shape[0] == 1:
        F_l = F_l[0]
    if F_l.ndim == 3:
        F_l = F_l.reshape(F_l.shape[0], -1)  # (N_l, H*W)
    if F_l.ndim != 2:
        raise ValueError(f"{function} expects features of one image: (N_l, M_l), (N_l, H, W) or (1, N_l, H, W); "
                         f"got shape {tuple(F_l.shape)}.")
    return F_l


def _as_image(name, image):
    if isinstance(image, np.ndarray):
        image = torch.from_numpy(np.ascontiguousarray(image))
    if not torch.is_tensor(image) or not image.is_floating_point():
        dtype = f" of dtype {image.dtype}" if hasattr(image, "dtype") else ""
        raise TypeError(f"transfer_style expects the {name} image as floats in [0, 1] (e.g. "
                        f"dlcourse.datasets.image(name, size=128)); got {type(image).__name__}{dtype}.")
    x = image.detach().float()
    if x.ndim == 2:
        x = x[:, :, None].expand(-1, -1, 3)  # grey -> three equal channels
    if x.ndim == 3 and x.shape[2] == 3:
        x = x.permute(2, 0, 1)[None]  # (H, W, 3) -> (1, 3, H, W)
    if x.ndim != 4 or x.shape[:2] != (1, 3):
        raise ValueError(f"transfer_style expects the {name} image as (H, W, 3), (H, W) or (1, 3, H, W); got shape "
                         f"{tuple(image.shape)}.")
    if min(x.shape[2:]) < _MIN_SIDE:
        raise ValueError(f"transfer_style expects the {name} image to be at least {_MIN_SIDE} x {_MIN_SIDE} pixels; "
                         f"got {tuple(x.shape[2:])}.")
    low, high = x.min().item(), x.max().item()
    if not (0.0 <= low and high <= 1.0):
        hint = " (an 8-bit image? divide it by 255)" if high > 1.0 else ""
        raise ValueError(f"transfer_style expects the {name} image's values in [0, 1]; got values from {low:g} to "
                         f"{high:g}{hint}.")
    return x.contiguous()


def _check_batch(owner, x):
    check_instance(x, "x", owner, torch.Tensor, "a tensor of shape (N, 3, H, W) of RGB values in [0, 1]")
    if x.ndim != 4 or x.shape[1] != 3:
        raise ValueError(f"{owner} expects x of shape (N, 3, H, W) as a tensor of RGB values in [0, 1]; "
                         f"got {tuple(x.shape)}.")
    if min(x.shape[2:]) < _MIN_SIDE:
        raise ValueError(f"{owner} expects images of at least {_MIN_SIDE} x {_MIN_SIDE} pixels (the deepest layer "
                         f"is 1/16 of the size); got {tuple(x.shape[2:])}.")


def _check_weights(function, weights, count, argument="weights"):
    """w_l: ``count`` non-negative numbers, one per style layer, as floats."""
    allowed = f"{count} non-negative numbers, one per style layer"
    if isinstance(weights, str) or not hasattr(weights, "__len__"):
        raise TypeError(f"{function} expects {argument} to be {allowed}; got {shown(weights)}.")
    if len(weights) != count:
        raise ValueError(f"{function} expects {argument} to be {allowed}; got {shown(weights)}.")
    return [check_real(w, argument, function, minimum=0, allowed=allowed) for w in weights]


def _check_snapshots(snapshots, steps):
    allowed = f"step numbers between 0 and steps = {steps}"
    if isinstance(snapshots, str) or not hasattr(snapshots, "__iter__"):
        raise TypeError(f"transfer_style expects snapshots to be {allowed}; got {shown(snapshots)}.")
    return [check_int(s, "snapshots", "transfer_style", minimum=0, maximum=steps, allowed=allowed) for s in snapshots]
