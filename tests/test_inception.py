"""dlcourse.models.inception: the Inception module keeps H x W, stacks its four branches along the
channels, has the parameter count of its formula, and refuses inputs of the wrong shape."""
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlcourse.models import InceptionModule


def _parameter_count(module):
    return sum(p.numel() for p in module.parameters())


def _formula(C, c1, c3_reduce, c3, c5_reduce, c5, pool_proj):
    # the docstring's count, weights and biases, branch by branch
    return (c1 * (C + 1) + c3_reduce * (C + 1) + c3 * (9 * c3_reduce + 1)
            + c5_reduce * (C + 1) + c5 * (25 * c5_reduce + 1) + pool_proj * (C + 1))


def test_googlenet_inception_3a_maps_192_channels_to_256_at_28x28():
    module = InceptionModule(192, 64, 96, 128, 16, 32, 32)
    assert module.out_channels == 256
    with torch.device("meta"):  # shapes only
        meta_module = InceptionModule(192, 64, 96, 128, 16, 32, 32)
        assert meta_module(torch.empty(2, 192, 28, 28)).shape == (2, 256, 28, 28)


@pytest.mark.parametrize("size", [1, 5, 8, 13])
def test_every_branch_keeps_height_and_width(size):
    torch.manual_seed(0)
    module = InceptionModule(3, 4, 2, 5, 1, 6, 7)
    assert module(torch.randn(2, 3, size, size)).shape == (2, 4 + 5 + 6 + 7, size, size)
    assert module(torch.randn(1, 3, size, size + 3)).shape == (1, 22, size, size + 3)


def test_inception_3a_has_163696_parameters_counted_by_hand():
    # 64*193 + 96*193 + 128*(9*96 + 1) + 16*193 + 32*(25*16 + 1) + 32*193
    assert 12_352 + 18_528 + 110_720 + 3_088 + 12_832 + 6_176 == 163_696
    assert _parameter_count(InceptionModule(192, 64, 96, 128, 16, 32, 32)) == 163_696


@pytest.mark.parametrize("widths", [(16, 8, 8, 16, 4, 8, 8), (40, 16, 16, 32, 4, 8, 8), (1, 1, 1, 1, 1, 1, 1)])
def test_parameter_count_follows_the_docstrings_formula(widths):
    assert _parameter_count(InceptionModule(*widths)) == _formula(*widths)


def test_the_branches_have_the_papers_kernels_in_order():
    module = InceptionModule(10, 2, 3, 4, 5, 6, 7)
    kernels = [[tuple(m.weight.shape) for m in branch if isinstance(m, nn.Conv2d)] for branch in module.branches]
    assert kernels == [[(2, 10, 1, 1)], [(3, 10, 1, 1), (4, 3, 3, 3)], [(5, 10, 1, 1), (6, 5, 5, 5)], [(7, 10, 1, 1)]]
    pool = module.branches[3][0]
    assert isinstance(pool, nn.MaxPool2d) and (pool.kernel_size, pool.stride, pool.padding) == (3, 1, 1)


def test_output_is_the_concatenation_of_the_four_branches():
    torch.manual_seed(0)
    module = InceptionModule(6, 3, 4, 5, 2, 4, 3)
    x = torch.randn(2, 6, 9, 9)
    y = module(x)
    assert torch.equal(y, torch.cat([branch(x) for branch in module.branches], dim=1))
    starts = [0, 3, 3 + 5, 3 + 5 + 4, 3 + 5 + 4 + 3]  # c1, c3, c5, pool_proj channels in turn
    for branch, start, end in zip(module.branches, starts, starts[1:]):
        assert torch.equal(y[:, start:end], branch(x))


def test_module_matches_the_branches_written_with_torch_functions():
    torch.manual_seed(2)
    module = InceptionModule(4, 2, 3, 2, 2, 3, 2)
    x = torch.randn(3, 4, 7, 7)
    b1, b3, b5, bp = module.branches

    def conv(z, layer, padding):
        return torch.relu(F.conv2d(z, layer.weight, layer.bias, padding=padding))

    expected = torch.cat([
        conv(x, b1[0], 0),
        conv(conv(x, b3[0], 0), b3[2], 1),
        conv(conv(x, b5[0], 0), b5[2], 2),
        conv(F.max_pool2d(x, 3, stride=1, padding=1), bp[1], 0),
    ], dim=1)
    assert torch.allclose(module(x), expected, atol=1e-6)


def test_every_output_is_non_negative_after_the_relus():
    torch.manual_seed(3)
    assert (InceptionModule(3, 2, 2, 2, 2, 2, 2)(torch.randn(2, 3, 6, 6)) >= 0).all()


def test_gradients_reach_every_branch():
    torch.manual_seed(4)
    module = InceptionModule(3, 2, 2, 2, 2, 2, 2)
    module(torch.randn(4, 3, 6, 6)).sum().backward()
    assert all(p.grad is not None for p in module.parameters())


@pytest.mark.parametrize("shape", [(2, 5, 8, 8), (5, 8, 8), (2, 3, 8)])
def test_wrong_input_shape_is_a_value_error_naming_the_expected_shape(shape):
    module = InceptionModule(3, 2, 2, 2, 2, 2, 2)
    with pytest.raises(ValueError, match=r"InceptionModule expects x of shape \(N, 3, H, W\); got shape"):
        module(torch.zeros(shape))


def test_input_that_is_not_a_tensor_is_a_type_error():
    with pytest.raises(TypeError, match="InceptionModule expects x to be a tensor of shape"):
        InceptionModule(3, 2, 2, 2, 2, 2, 2)([[0.0]])


@pytest.mark.parametrize("bad, error", [(0, ValueError), (-4, ValueError), (2.5, TypeError), ("8", TypeError)])
def test_widths_must_be_positive_integers(bad, error):
    with pytest.raises(error, match="InceptionModule expects c5_reduce to be a positive integer"):
        InceptionModule(8, 4, 4, 8, bad, 8, 4)
