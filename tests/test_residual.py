"""dlcourse.models.residual: residual blocks, the plain/residual DeepStack, per-layer gradient norms,
freezing parts of a model."""
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import dlcourse
from dlcourse import datasets
from dlcourse.models import fit
from dlcourse.models.residual import BottleneckBlock, DeepStack, ResidualBlock, freeze, gradient_norms, unfreeze


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
