"""dlcourse.models.residual: residual blocks, the plain/residual DeepStack and DeepCNN, DenseNet,
per-layer gradient norms, freezing parts of a model."""
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import dlcourse
from dlcourse import datasets
from dlcourse.models import fit
from dlcourse.models.residual import (BottleneckBlock, DeepCNN, DeepStack, DenseBlock, DenseNet, ResidualBlock, freeze,
                                      gradient_norms, unfreeze)


def _conv_weights(module):
    return sum(m.weight.numel() for m in module.modules() if isinstance(m, nn.Conv2d))


def _zero_last_batch_norm(block):
    last = block.branch[-1]
    assert isinstance(last, nn.BatchNorm2d)
    with torch.no_grad():
        last.weight.zero_()
        last.bias.zero_()  # the branch F(x) now outputs 0 for every x


# ------------------------------------------------------------------ ResidualBlock
def test_residual_block_keeps_the_shape_with_an_identity_shortcut():
    block = ResidualBlock(8)
    assert isinstance(block.shortcut, nn.Identity)
    assert block(torch.randn(2, 8, 10, 10)).shape == (2, 8, 10, 10)


@pytest.mark.parametrize("size, expected", [(9, 5), (10, 5), (32, 16)])
def test_residual_block_with_stride_and_new_channels_projects_the_shortcut(size, expected):
    block = ResidualBlock(8, 16, stride=2)
    projection = block.shortcut[0]
    assert isinstance(projection, nn.Conv2d) and projection.kernel_size == (1, 1) and projection.stride == (2, 2)
    assert block(torch.randn(2, 8, size, size)).shape == (2, 16, expected, expected)


@pytest.mark.parametrize("mode", ["train", "eval"])
def test_residual_block_is_the_identity_when_its_branch_is_zero(mode):
    torch.manual_seed(0)
    block = ResidualBlock(6)
    _zero_last_batch_norm(block)
    getattr(block, mode)()
    x = torch.relu(torch.randn(3, 6, 7, 7))  # the output of an earlier block is non-negative
    assert torch.equal(block(x), x)


def test_the_shortcut_passes_the_gradient_through_unchanged():
    torch.manual_seed(0)
    block = ResidualBlock(4)
    _zero_last_batch_norm(block)
    x = (torch.rand(2, 4, 5, 5) + 0.1).requires_grad_()
    block(x).sum().backward()
    assert torch.equal(x.grad, torch.ones_like(x))  # dy/dx = 1 through the identity, not a product of layers


def test_basic_block_of_64_channels_has_two_3x3_kernels_of_73728_weights():
    block = ResidualBlock(64)
    kernels = [m.weight.shape for m in block.branch if isinstance(m, nn.Conv2d)]
    assert kernels == [(64, 64, 3, 3), (64, 64, 3, 3)]
    assert _conv_weights(block) == 73_728


def test_residual_block_matches_the_formula_written_with_torch_functions():
    torch.manual_seed(1)
    block = ResidualBlock(3).eval()
    with torch.no_grad():
        for bn in (block.branch[1], block.branch[4]):  # non-trivial running statistics
            bn.running_mean.uniform_(-1, 1)
            bn.running_var.uniform_(0.5, 2)
    x = torch.randn(2, 3, 6, 6)
    conv1, bn1, _, conv2, bn2 = block.branch

    def bn(z, layer):
        return F.batch_norm(z, layer.running_mean, layer.running_var, layer.weight, layer.bias, eps=layer.eps)

    branch = bn(F.conv2d(torch.relu(bn(F.conv2d(x, conv1.weight, padding=1), bn1)), conv2.weight, padding=1), bn2)
    torch.testing.assert_close(block(x), torch.relu(x + branch))


# ---------------------------------------------------------------- BottleneckBlock
def test_bottleneck_reduces_then_expands_the_channels_as_in_the_paper():
    block = BottleneckBlock(256, 64)
    kernels = [tuple(m.weight.shape) for m in block.branch if isinstance(m, nn.Conv2d)]
    assert kernels == [(64, 256, 1, 1), (64, 64, 3, 3), (256, 64, 1, 1)]
    assert _conv_weights(block) == 69_632  # about as cheap as a 64-channel basic block (73,728)
    assert isinstance(block.shortcut, nn.Identity)
    assert block(torch.randn(2, 256, 4, 4)).shape == (2, 256, 4, 4)


def test_bottleneck_with_stride_and_new_out_channels():
    block = BottleneckBlock(16, 4, 32, stride=2)
    assert block.branch[3].stride == (2, 2)  # the stride sits on the 3x3 convolution
    assert block(torch.randn(2, 16, 8, 8)).shape == (2, 32, 4, 4)


def test_bottleneck_is_the_identity_when_its_branch_is_zero():
    torch.manual_seed(0)
    block = BottleneckBlock(8, 2)
    _zero_last_batch_norm(block)
    x = torch.relu(torch.randn(2, 8, 5, 5))
    assert torch.equal(block(x), x)


# ---------------------------------------------------------------------- DeepStack
@pytest.mark.parametrize("batch_norm", [False, True])
@pytest.mark.parametrize("depth", [2, 4, 20])
def test_deep_stack_has_depth_weight_layers_and_the_counted_parameters(depth, batch_norm):
    d, w, k = 12, 16, 3
    plain = DeepStack(d, w, depth, k, residual=False, batch_norm=batch_norm)
    residual = DeepStack(d, w, depth, k, residual=True, batch_norm=batch_norm)
    assert sum(isinstance(m, nn.Linear) for m in plain.modules()) == depth
    blocks = (depth - 2) // 2
    norms = (2 * blocks + 1) * 2 * w if batch_norm else 0  # gamma and beta before every ReLU
    expected = (d * w + w) + blocks * 2 * (w * w + w) + norms + (w * k + k)
    count = sum(p.numel() for p in plain.parameters())
    assert count == expected == sum(p.numel() for p in residual.parameters())


def test_deep_stack_maps_inputs_to_logits_and_features():
    model = DeepStack(10, 8, 6, 4, residual=True)
    x = torch.randn(5, 10)
    assert model(x).shape == (5, 4) and model.features(x).shape == (5, 8)
    torch.testing.assert_close(model(x), model.head(model.body(x)))


def test_residual_deep_stack_with_zero_branches_is_its_input_and_output_layers():
    torch.manual_seed(0)
    deep = DeepStack(10, 8, 12, 3, residual=True, batch_norm=False)
    shallow = DeepStack(10, 8, 2, 3, batch_norm=False)
    with torch.no_grad():
        for block in deep.body[1:-1]:
            block.branch[-1].weight.zero_()
            block.branch[-1].bias.zero_()  # every block is now h + 0
        shallow.body[0].load_state_dict(deep.body[0].state_dict())
        shallow.head.load_state_dict(deep.head.state_dict())
    x = torch.randn(4, 10)
    torch.testing.assert_close(deep(x), shallow(x))


def test_plain_deep_stack_is_an_mlp_with_relus_between_all_layers():
    torch.manual_seed(0)
    model = DeepStack(5, 7, 6, 2, residual=False, batch_norm=False)
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    x = torch.randn(3, 5)
    h = linears[0](x)
    for layer in linears[1:]:
        h = layer(torch.relu(h))
    torch.testing.assert_close(model(x), h)


# ------------------------------------------------------------------------ DeepCNN
@pytest.mark.parametrize("depth, width, classes, size", [(2, 4, 3, 8), (6, 8, 10, 28), (20, 16, 10, 28)])
def test_deep_cnn_plain_and_residual_have_the_counted_parameters(depth, width, classes, size):
    plain = DeepCNN(depth, width, residual=False, num_classes=classes, image_size=size)
    residual = DeepCNN(depth, width, residual=True, num_classes=classes, image_size=size)
    convolutions = [m for m in plain.modules() if isinstance(m, nn.Conv2d)]
    assert len(convolutions) + 1 == depth  # the convolutions and the output layer
    stem = width * 1 * 3 * 3
    blocks = (depth - 2) * (width * width * 3 * 3 + 2 * width)  # each conv with the batch norm before it
    head = (width * (size // 4) ** 2 + 1) * classes
    expected = stem + blocks + 2 * width + head  # 2 * width: the last batch norm
    assert sum(p.numel() for p in plain.parameters()) == expected == sum(p.numel() for p in residual.parameters())


def test_deep_cnn_20_layers_of_width_16_on_digits_has_50074_parameters():
    assert sum(p.numel() for p in DeepCNN(20, 16).parameters()) == 144 + 18 * 2336 + 32 + 7850 == 50_074


@pytest.mark.parametrize("residual", [False, True])
def test_deep_cnn_maps_images_to_feature_maps_and_logits(residual):
    model = DeepCNN(8, 6, residual=residual, in_channels=3, num_classes=5, image_size=16)
    x = torch.randn(2, 3, 16, 16)
    assert model.body(x).shape == (2, 6, 4, 4)
    assert model(x).shape == (2, 5)
    torch.testing.assert_close(model(x), model.head(model.body(x)))


def test_deep_cnn_residual_block_with_a_zero_last_convolution_is_the_identity():
    torch.manual_seed(0)
    model = DeepCNN(6, 4, residual=True)
    block = model.body[2]
    with torch.no_grad():
        block.branch[-1].weight.zero_()  # F(h) = 0: no conv bias, so the branch outputs exactly 0
    for mode in ("train", "eval"):
        getattr(block, mode)()
        h = torch.randn(3, 4, 7, 7)  # pre-activation: any input passes, negative values too
        assert torch.equal(block(h), h)


def test_residual_deep_cnn_with_zero_branches_is_stem_pools_and_head():
    torch.manual_seed(0)
    model = DeepCNN(10, 4, residual=True).eval()
    blocks = [m for m in model.body if hasattr(m, "branch")]
    assert len(blocks) == 4
    with torch.no_grad():
        for block in blocks:
            block.branch[-1].weight.zero_()
    x = torch.randn(2, 1, 28, 28)
    stem, last_norm = model.body[0], model.body[-2]
    expected = model.head(torch.relu(last_norm(F.max_pool2d(F.max_pool2d(stem(x), 2), 2))))
    torch.testing.assert_close(model(x), expected)


def test_plain_deep_cnn_is_batch_norm_relu_convolution_without_shortcuts():
    torch.manual_seed(0)
    model = DeepCNN(4, 3, residual=False, image_size=8).eval()  # one block, after both pools (half = 0)
    norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    with torch.no_grad():
        for norm in norms:  # non-trivial running statistics
            norm.running_mean.uniform_(-1, 1)
            norm.running_var.uniform_(0.5, 2)
    stem, conv1, conv2 = [m for m in model.modules() if isinstance(m, nn.Conv2d)]

    def bn_relu(z, norm):
        return torch.relu(F.batch_norm(z, norm.running_mean, norm.running_var, norm.weight, norm.bias, eps=norm.eps))

    x = torch.randn(2, 1, 8, 8)
    h = F.max_pool2d(F.max_pool2d(F.conv2d(x, stem.weight, padding=1), 2), 2)  # (2, 3, 2, 2)
    h = F.conv2d(bn_relu(F.conv2d(bn_relu(h, norms[0]), conv1.weight, padding=1), norms[1]), conv2.weight, padding=1)
    logits = model.head[1](bn_relu(h, norms[2]).flatten(1))  # no "+ h" anywhere
    torch.testing.assert_close(model(x), logits)


# --------------------------------------------------------------- DenseBlock, DenseNet
@pytest.mark.parametrize("k0, k, layers", [(16, 12, 4), (3, 5, 1), (8, 2, 6)])
def test_dense_block_grows_the_channels_by_the_growth_rate_per_layer(k0, k, layers):
    block = DenseBlock(k0, k, layers)
    assert [layer[2].in_channels for layer in block.layers] == [k0 + l * k for l in range(layers)]
    assert all(layer[2].out_channels == k for layer in block.layers)
    x = torch.randn(2, k0, 5, 5)
    out = block(x)
    assert out.shape == (2, k0 + layers * k, 5, 5) and block.out_channels == k0 + layers * k
    assert torch.equal(out[:, :k0], x)  # the block's input is passed on untouched


def test_dense_block_has_the_counted_parameters():
    # layer l: batch norm (2 per input channel) and a 3x3 conv, (16 + 12 l) -> 12 channels, no bias
    expected = sum(2 * (16 + 12 * l) + (16 + 12 * l) * 12 * 9 for l in range(4))
    # 14,688 convolution weights (the count lecture 08 prints) and 272 batch-norm parameters
    assert sum(p.numel() for p in DenseBlock(16, 12, 4).parameters()) == expected == 14_960


def test_dense_block_matches_the_concatenation_formula_written_with_torch_functions():
    torch.manual_seed(0)
    block = DenseBlock(2, 3, 3).eval()
    x = torch.randn(2, 2, 4, 4)
    features = [x]
    for layer in block.layers:
        norm, _, conv = layer
        z = torch.cat(features, dim=1)
        z = torch.relu(F.batch_norm(z, norm.running_mean, norm.running_var, norm.weight, norm.bias, eps=norm.eps))
        features.append(F.conv2d(z, conv.weight, padding=1))
    torch.testing.assert_close(block(x), torch.cat(features, dim=1))


def test_densenet_defaults_on_digits_have_the_counted_channels_and_parameters():
    model = DenseNet()
    first, second = [m for m in model.body if isinstance(m, DenseBlock)]
    assert (first.in_channels, first.out_channels, second.in_channels, second.out_channels) == (16, 48, 24, 56)
    transition = [m for m in model.body if isinstance(m, nn.Conv2d) and m.kernel_size == (1, 1)]
    assert [(m.in_channels, m.out_channels) for m in transition] == [(48, 24)]
    stem = 1 * 16 * 9
    block_1 = sum(2 * c + c * 8 * 9 for c in (16, 24, 32, 40))
    transition_layer = 2 * 48 + 48 * 24
    block_2 = sum(2 * c + c * 8 * 9 for c in (24, 32, 40, 48))
    head = 2 * 56 + 56 * 7 * 7 * 10 + 10  # the last batch norm, then the output layer on 56 maps of 7 x 7
    expected = stem + block_1 + transition_layer + block_2 + head
    assert sum(p.numel() for p in model.parameters()) == expected == 47_898


@pytest.mark.parametrize("blocks, compression, maps", [((4, 4), 0.5, (2, 56, 7, 7)), ((2, 2, 2), 0.5, (2, 32, 3, 3)),
                                                        ((3,), 0.5, (2, 40, 14, 14)), ((2, 2), 1.0, (2, 48, 7, 7))])
def test_densenet_maps_images_to_feature_maps_and_logits(blocks, compression, maps):
    model = DenseNet(8, blocks, compression=compression)
    x = torch.randn(2, 1, 28, 28)
    assert model.body(x).shape == maps
    assert model(x).shape == (2, 10)
    torch.testing.assert_close(model(x), model.head(model.body(x)))


def test_every_layer_of_a_densenet_gets_a_gradient_from_one_backward_pass():
    torch.manual_seed(0)
    model = DenseNet(4, (2, 2))
    x, y = torch.randn(8, 1, 28, 28), torch.randint(0, 10, (8,))
    F.cross_entropy(model(x), y).backward()
    norms = gradient_norms(model)
    assert len(norms) == 1 + 2 + 1 + 2 + 1  # stem, two dense layers, transition, two dense layers, head
    assert all(norm > 0 for norm in norms.values())


# ----------------------------------------------------------------- gradient_norms
def _backward(model, seed=0):
    g = torch.Generator().manual_seed(seed)
    x, y = torch.randn(64, 20, generator=g), torch.randint(0, 4, (64,), generator=g)
    F.cross_entropy(model(x), y).backward()


def test_gradient_norms_gives_one_norm_per_weight_layer_from_input_to_output():
    dlcourse.seed_everything(0)
    model = DeepStack(20, 16, 8, 4, residual=True)
    _backward(model)
    norms = gradient_norms(model)
    assert len(norms) == 8
    linears = [name for name, m in model.named_modules() if isinstance(m, nn.Linear)]
    assert list(norms) == [f"{name}.weight" for name in linears]
    assert list(norms)[0] == "body.0.weight" and list(norms)[-1] == "head.weight"
    parameters = dict(model.named_parameters())
    assert all(value == pytest.approx(parameters[name].grad.norm().item()) for name, value in norms.items())


def test_gradient_norms_vanish_towards_the_input_of_a_deep_plain_stack_but_not_a_residual_one():
    first_over_last = {}
    for residual in (False, True):
        dlcourse.seed_everything(0)
        model = DeepStack(20, 32, 30, 4, residual=residual, batch_norm=False)  # torch's default init
        _backward(model)
        norms = list(gradient_norms(model).values())
        first_over_last[residual] = norms[1] / norms[-2]
    assert first_over_last[False] < 1e-6
    assert 0.1 < first_over_last[True] < 10


def test_gradient_norms_skip_frozen_layers():
    model = DeepStack(20, 16, 6, 4)
    freeze(model.body)
    _backward(model)
    assert list(gradient_norms(model)) == ["head.weight"]


def test_gradient_norms_before_a_backward_pass_says_what_to_do():
    with pytest.raises(ValueError, match=r"found no gradients: compute a loss and call loss.backward\(\) first"):
        gradient_norms(DeepStack(20, 16, 6, 4))


# --------------------------------------------------------------- freeze, unfreeze
def test_freeze_and_unfreeze_set_requires_grad_and_return_the_module():
    model = DeepStack(20, 16, 6, 4)
    assert freeze(model.body) is model.body
    assert not any(p.requires_grad for p in model.body.parameters())
    assert all(p.requires_grad for p in model.head.parameters())
    assert unfreeze(model.body) is model.body
    assert all(p.requires_grad for p in model.parameters())


def test_fit_with_a_frozen_body_trains_only_the_head():
    X, y = datasets.spiral(n=60, seed=0)
    dlcourse.seed_everything(0)
    model = DeepStack(2, 16, 4, 3, residual=True, batch_norm=False)
    freeze(model.body)
    body, head = [p.detach().clone() for p in model.body.parameters()], model.head.weight.detach().clone()
    fit(model, X, y, epochs=3, live=False, progress=False)
    assert all(torch.equal(before, after) for before, after in zip(body, model.body.parameters()))
    assert not torch.equal(head, model.head.weight)


def test_fit_with_every_layer_frozen_raises_the_clear_error():
    model = freeze(DeepStack(2, 8, 4, 3))
    with pytest.raises(ValueError, match="every layer of the model is frozen; unfreeze at least one"):
        fit(model, *datasets.spiral(n=30), epochs=1, live=False, progress=False)


# ------------------------------------------------------------------ bad inputs
@pytest.mark.parametrize("build, message", [
    (lambda: DeepStack(10, 8, 5, 3), "DeepStack expects depth to be an even integer >= 2 (input layer + blocks of two "
                                     "layers + output layer); got 5."),
    (lambda: DeepStack(10, 8, 0, 3), "DeepStack expects depth to be an even integer >= 2"),
    (lambda: DeepStack(10, 0, 4, 3), "DeepStack expects width to be a positive integer; got 0."),
    (lambda: ResidualBlock(0), "ResidualBlock expects in_channels to be a positive integer; got 0."),
    (lambda: ResidualBlock(4, stride=0), "ResidualBlock expects stride to be a positive integer; got 0."),
    (lambda: BottleneckBlock(16, 0), "BottleneckBlock expects bottleneck_channels to be a positive integer; got 0."),
    (lambda: BottleneckBlock(16, 4, out_channels=-2), "BottleneckBlock expects out_channels to be a positive integer"),
    (lambda: DeepCNN(7), "DeepCNN expects depth to be an even integer >= 2 (stem convolution + blocks of two "
                         "convolutions + output layer); got 7."),
    (lambda: DeepCNN(20, image_size=3), "DeepCNN expects image_size to be an integer >= 4; got 3."),
    (lambda: DenseBlock(4, 0, 3), "DenseBlock expects growth_rate to be a positive integer; got 0."),
    (lambda: DenseNet(block_layers=()), "DenseNet expects block_layers to be a non-empty tuple of layer counts, one "
                                        "per dense block, e.g. (4, 4); got ()."),
    (lambda: DenseNet(block_layers=(4, 0)),
     "DenseNet expects each entry of block_layers to be a positive integer; got 0."),
    (lambda: DenseNet(compression=0), "DenseNet expects compression to be a number in (0, 1]; got 0."),
    (lambda: DenseNet(block_layers=(1, 1, 1, 1, 1), image_size=28),
     "DenseNet expects image_size to be an integer >= 32"),
])
def test_constructors_raise_value_error_for_a_disallowed_value(build, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build()


@pytest.mark.parametrize("build, message", [
    (lambda: DeepStack(10.5, 8, 4, 3), "DeepStack expects in_features to be a positive integer; got 10.5."),
    (lambda: DeepStack(10, 8, 4, True), "DeepStack expects num_classes to be a positive integer; got True."),
    (lambda: DeepStack(10, 8, "4", 3), "DeepStack expects depth to be an even integer >= 2"),
    (lambda: DeepStack(10, 8, 4, 3, residual="yes"), "DeepStack expects residual to be True or False; got 'yes'."),
    (lambda: ResidualBlock("4"), "ResidualBlock expects in_channels to be a positive integer; got '4'."),
    (lambda: DeepCNN(20, residual=1), "DeepCNN expects residual to be True or False; got 1."),
    (lambda: DenseNet(block_layers=4), "DenseNet expects block_layers to be a non-empty tuple of layer counts"),
    (lambda: DenseNet(growth_rate=2.5), "DenseNet expects growth_rate to be a positive integer; got 2.5."),
])
def test_constructors_raise_type_error_for_an_argument_of_the_wrong_type(build, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        build()


def test_forward_refuses_a_numpy_array_with_a_type_error():
    with pytest.raises(TypeError) as error:
        DeepStack(10, 8, 4, 3)(np.zeros((5, 10)))
    assert str(error.value) == "DeepStack expects x to be a tensor of shape (N, 10); got ndarray."
    with pytest.raises(TypeError, match=re.escape("ResidualBlock expects x to be a tensor of shape (N, 4, H, W)")):
        ResidualBlock(4)(np.zeros((2, 4, 5, 5)))


@pytest.mark.parametrize("model, x, message", [
    (DeepStack(10, 8, 4, 3), torch.randn(5, 7), "DeepStack expects x of shape (N, 10) as a tensor; got (5, 7)."),
    (ResidualBlock(4), torch.randn(2, 3, 5, 5),
     "ResidualBlock expects x of shape (N, 4, H, W) as a tensor; got (2, 3, 5, 5)."),
    (BottleneckBlock(8, 2), torch.randn(8, 5, 5),
     "BottleneckBlock expects x of shape (N, 8, H, W) as a tensor; got (8, 5, 5)."),
    (DeepCNN(4), torch.randn(2, 1, 32, 32),
     "DeepCNN expects x of shape (N, 1, 28, 28) as a tensor; got (2, 1, 32, 32)."),
    (DenseBlock(4, 2, 2), torch.randn(2, 3, 5, 5),
     "DenseBlock expects x of shape (N, 4, H, W) as a tensor; got (2, 3, 5, 5)."),
    (DenseNet(), torch.randn(2, 784), "DenseNet expects x of shape (N, 1, 28, 28) as a tensor; got (2, 784)."),
])
def test_forward_explains_inputs_of_the_wrong_shape(model, x, message):
    with pytest.raises(ValueError) as error:
        model(x)
    assert str(error.value) == message


@pytest.mark.parametrize("function", [freeze, unfreeze, gradient_norms])
def test_functions_reject_what_is_not_a_module(function):
    with pytest.raises(TypeError, match=rf"{function.__name__} expects \w+ to be a torch.nn.Module.*; got list\."):
        function([nn.Linear(2, 2)])


def test_gradient_norms_of_a_model_without_weight_matrices_says_so():
    with pytest.raises(ValueError, match="at least one trainable weight matrix or kernel; found none"):
        gradient_norms(nn.ReLU())
