"""dlcourse.nn.conv: convolution and max pooling equal torch's, forward and backward, and the lecture's examples."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import dlcourse.nn as nn
from dlcourse.nn import conv
from dlcourse.nn.conv import (col2im, conv2d, conv2d_backward, conv2d_naive, conv_output_size, im2col, max_pool2d,
                              max_pool2d_backward)

# (input shape (N, C, H, W), filters (F, kh, kw), stride, padding): square and not, overlapping and not
CONV_CASES = [
    ((2, 3, 7, 7), (4, 3, 3), 1, 0),
    ((2, 3, 7, 9), (4, 3, 2), (2, 1), (1, 2)),
    ((1, 2, 8, 6), (3, 5, 5), 2, 2),
    ((3, 1, 5, 5), (2, 1, 1), 1, 0),
    ((2, 2, 7, 8), (5, 2, 4), 3, (0, 1)),  # stride 3 leaves the last row of pixels out of every window
    ((1, 4, 6, 5), (2, 6, 5), 1, (0, 0)),  # the kernel is exactly as large as the input
]


def _case_id(case):
    shape, (f, kh, kw), stride, padding = case
    return f"x{'x'.join(map(str, shape))}-k{kh}x{kw}-s{stride}-p{padding}".replace(" ", "")


def random_case(case, seed=0):
    shape, (f, kh, kw), stride, padding = case
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape), rng.normal(size=(f, shape[1], kh, kw)), rng.normal(size=f), stride, padding


# ------------------------------------------------------------------ output size
@pytest.mark.parametrize("size, kernel, stride, padding, expected",
                         [(5, 3, 1, 0, 3), (5, 3, 1, 1, 5), (28, 5, 1, 0, 24), (7, 3, 2, 0, 3), (8, 3, 2, 0, 3),
                          (224, 11, 4, 2, 55), (5, 5, 1, 0, 1), (4, 2, 2, 0, 2)])
def test_conv_output_size_follows_the_formula_and_torch(size, kernel, stride, padding, expected):
    assert conv_output_size(size, kernel, stride, padding) == expected
    out = F.conv2d(torch.zeros(1, 1, size, size), torch.zeros(1, 1, kernel, kernel), stride=stride, padding=padding)
    assert out.shape[-1] == expected


def test_conv_output_size_rejects_a_kernel_that_does_not_fit():
    with pytest.raises(ValueError, match=r"kernel_size <= size \+ 2\*padding; got kernel_size 7 for size 5 "
                                         r"with padding 0"):
        conv_output_size(5, 7)
    assert conv_output_size(5, 7, padding=1) == 1  # with padding it fits
    with pytest.raises(ValueError, match="stride to be a positive integer; got 0"):
        conv_output_size(5, 3, stride=0)


# ------------------------------------------------------------------ the lecture's example
LECTURE_IMAGE = np.array([[1, 1, 1, 0, 0],
                          [0, 1, 1, 1, 0],
                          [0, 0, 1, 1, 1],
                          [0, 0, 1, 1, 0],
                          [0, 1, 1, 0, 0]])
LECTURE_FILTER = np.array([[1, 0, 1],
                           [0, 1, 0],
                           [1, 0, 1]])


@pytest.mark.parametrize("function", [conv2d, conv2d_naive], ids=["im2col", "naive"])
def test_conv2d_reproduces_the_lecture_feature_map(function):
    # deck 001: the 3x3 filter slides over the 5x5 image without padding, stride 1 -> a 3x3 map
    feature_map = function(LECTURE_IMAGE[None, None], LECTURE_FILTER[None, None])
    np.testing.assert_array_equal(feature_map[0, 0], [[4, 3, 4], [2, 4, 3], [2, 3, 4]])


def test_true_convolution_equals_cross_correlation_for_the_symmetric_lecture_filter():
    # deck 002 writes the flipped sum I(i - m, j - n) K(m, n); flipping this filter changes nothing
    flipped = LECTURE_FILTER[::-1, ::-1]
    np.testing.assert_array_equal(conv2d(LECTURE_IMAGE[None, None], flipped[None, None]),
                                  conv2d(LECTURE_IMAGE[None, None], LECTURE_FILTER[None, None]))
    # but for an asymmetric filter the two differ, and torch computes the unflipped one
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(1, 1, 5, 5)), rng.normal(size=(1, 1, 3, 3))
    expected = F.conv2d(torch.tensor(x), torch.tensor(w)).numpy()
    np.testing.assert_allclose(conv2d(x, w), expected, rtol=1e-12, atol=1e-12)
    assert not np.allclose(conv2d(x, w[:, :, ::-1, ::-1]), expected)


def test_conv2d_with_padding_one_keeps_the_5x5_size():
    assert conv2d(LECTURE_IMAGE[None, None], LECTURE_FILTER[None, None], padding=1).shape == (1, 1, 5, 5)


# ------------------------------------------------------------------ forward vs torch
@pytest.mark.parametrize("case", CONV_CASES, ids=_case_id)
def test_conv2d_and_conv2d_naive_match_torch(case):
    x, w, b, stride, padding = random_case(case)
    expected = F.conv2d(torch.tensor(x), torch.tensor(w), torch.tensor(b), stride=stride, padding=padding).numpy()
    np.testing.assert_allclose(conv2d(x, w, b, stride, padding), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(conv2d_naive(x, w, b, stride, padding), expected, rtol=1e-12, atol=1e-12)


def test_conv2d_without_bias_matches_torch_and_keeps_float32():
    x, w, _, stride, padding = random_case(CONV_CASES[1])
    x32, w32 = x.astype(np.float32), w.astype(np.float32)
    out = conv2d(x32, w32, stride=stride, padding=padding)
    assert out.dtype == np.float32
    expected = F.conv2d(torch.tensor(x32), torch.tensor(w32), stride=stride, padding=padding).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("case", CONV_CASES, ids=_case_id)
def test_im2col_matches_torch_unfold(case):
    x, w, _, stride, padding = random_case(case)
    kernel = w.shape[2:]
    expected = F.unfold(torch.tensor(x), kernel, stride=stride, padding=padding).numpy()
    np.testing.assert_array_equal(im2col(x, kernel, stride, padding), expected)


@pytest.mark.parametrize("case", CONV_CASES, ids=_case_id)
def test_col2im_matches_torch_fold_and_is_the_adjoint_of_im2col(case):
    x, w, _, stride, padding = random_case(case)
    kernel = w.shape[2:]
    cols = np.random.default_rng(1).normal(size=im2col(x, kernel, stride, padding).shape)
    folded = col2im(cols, x.shape, kernel, stride, padding)
    expected = F.fold(torch.tensor(cols), x.shape[2:], kernel, stride=stride, padding=padding).numpy()
    np.testing.assert_allclose(folded, expected, rtol=1e-12, atol=1e-12)
    # <im2col(x), cols> = <x, col2im(cols)>: why col2im carries gradients back
    assert np.isclose(np.sum(im2col(x, kernel, stride, padding) * cols), np.sum(x * folded), rtol=1e-12)


# ------------------------------------------------------------------ backward vs torch autograd
@pytest.mark.parametrize("case", CONV_CASES, ids=_case_id)
def test_conv2d_backward_matches_torch_autograd(case):
    x, w, b, stride, padding = random_case(case)
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    out = F.conv2d(tx, tw, tb, stride=stride, padding=padding)
    grad_out = np.random.default_rng(2).normal(size=out.shape)
    out.backward(torch.tensor(grad_out))
    grad_x, grad_w, grad_b = conv2d_backward(grad_out, x, w, stride, padding)
    np.testing.assert_allclose(grad_x, tx.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grad_w, tw.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grad_b, tb.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_conv2d_backward_gives_zero_gradient_to_pixels_outside_every_window():
    x, w, _, stride, padding = random_case(CONV_CASES[4])  # a 2x4 kernel in steps of 3 reads rows 0-1 and 3-4 of 7
    grad_x, _, _ = conv2d_backward(np.ones((2, 5, 2, 3)), x, w, stride, padding)
    assert np.all(grad_x[:, :, [2, 5, 6], :] == 0)
    assert np.all(grad_x[:, :, [0, 1, 3, 4], :] != 0)


# ------------------------------------------------------------------ max pooling
def test_max_pool2d_by_hand():
    x = np.array([[1, 3, 2, 8],
                  [6, 0, 7, 1],
                  [3, 1, 0, 4],
                  [2, 0, 1, 2]])
    np.testing.assert_array_equal(max_pool2d(x[None, None], 2)[0, 0], [[6, 8], [3, 4]])
    grad_x = max_pool2d_backward(np.array([[[[10.0, 20.0], [30.0, 40.0]]]]), x[None, None], 2)
    np.testing.assert_array_equal(grad_x[0, 0], [[0, 0, 0, 20],
                                                 [10, 0, 0, 0],
                                                 [30, 0, 0, 40],
                                                 [0, 0, 0, 0]])


# (input shape, kernel_size, stride, padding): the default stride, overlap, padding, non-square
POOL_CASES = [
    ((2, 3, 6, 6), 2, None, 0),
    ((2, 2, 7, 7), 3, 2, 1),
    ((1, 3, 7, 8), (2, 3), (1, 2), (1, 0)),
    ((2, 1, 5, 6), 3, 1, 0),
    ((1, 2, 9, 5), (3, 2), None, (1, 1)),
]


@pytest.mark.parametrize("case", POOL_CASES, ids=lambda c: f"x{c[0]}-k{c[1]}-s{c[2]}-p{c[3]}".replace(" ", ""))
@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
def test_max_pool2d_and_backward_match_torch(case, ties):
    shape, kernel, stride, padding = case
    rng = np.random.default_rng(3)
    # small integers make many windows hold their maximum twice: torch sends the gradient to the first
    x = rng.integers(-3, 3, size=shape).astype(float) if ties else rng.normal(size=shape)
    tx = torch.tensor(x, requires_grad=True)
    out = F.max_pool2d(tx, kernel, stride=stride, padding=padding)
    grad_out = rng.normal(size=out.shape)
    out.backward(torch.tensor(grad_out))
    np.testing.assert_array_equal(max_pool2d(x, kernel, stride, padding), out.detach().numpy())
    np.testing.assert_allclose(max_pool2d_backward(grad_out, x, kernel, stride, padding), tx.grad.numpy(),
                               rtol=1e-12, atol=1e-12)


def test_max_pool2d_backward_sends_a_tied_window_gradient_to_its_first_maximum():
    x = np.ones((1, 1, 4, 4))
    grad_x = max_pool2d_backward(np.ones((1, 1, 2, 2)), x, 2)
    np.testing.assert_array_equal(grad_x[0, 0], [[1, 0, 1, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]])


def test_max_pool2d_padding_never_wins_the_max():
    x = -np.arange(1.0, 10.0).reshape(1, 1, 3, 3)  # all negative: zero padding would win everywhere
    out = max_pool2d(x, 2, stride=2, padding=1)
    np.testing.assert_array_equal(out[0, 0], [[-1, -2], [-4, -5]])


# ------------------------------------------------------------------ bad input
def test_conv2d_names_the_expected_and_the_given_shape_of_x():
    with pytest.raises(ValueError, match=r"conv2d expects x of shape \(N, C, H, W\); got shape \(28, 28\)"):
        conv2d(np.zeros((28, 28)), np.zeros((1, 1, 3, 3)))


def test_conv2d_rejects_filters_with_a_different_number_of_channels():
    with pytest.raises(ValueError, match=r"conv2d expects w with as many channels as x \(3\), shape \(F, 3, kh, kw\); "
                                         r"got w of shape \(8, 1, 3, 3\)"):
        conv2d(np.zeros((2, 3, 8, 8)), np.zeros((8, 1, 3, 3)))


def test_conv2d_rejects_a_kernel_larger_than_the_padded_input():
    with pytest.raises(ValueError, match=r"conv2d_naive expects a kernel no larger than the padded input; got a 7x7 "
                                         r"kernel for a 5x5 input with padding \(0, 0\) \(padded 5x5\)"):
        conv2d_naive(np.zeros((1, 1, 5, 5)), np.zeros((1, 1, 7, 7)))
    with pytest.raises(ValueError, match=r"got a 8x3 kernel for a 5x5 input with padding \(1, 1\) \(padded 7x7\)"):
        conv2d(np.zeros((1, 1, 5, 5)), np.zeros((1, 1, 8, 3)), padding=1)


@pytest.mark.parametrize("kwargs, message", [
    ({"stride": 0}, "conv2d expects stride to be a positive integer or a pair of them; got 0"),
    ({"stride": (1, 2, 3)}, r"stride to be a positive integer or a pair of them; got \(1, 2, 3\)"),
    ({"padding": -1}, "conv2d expects padding to be a non-negative integer or a pair of them; got -1"),
    ({"b": np.zeros(3)}, r"conv2d expects b of shape \(F,\) = \(2,\), one bias per filter; got shape \(3,\)"),
    ({"w": np.zeros((2, 1, 3))}, r"conv2d expects w of shape \(F, C, kh, kw\); got shape \(2, 1, 3\)"),
])
def test_conv2d_rejects_bad_arguments_in_one_sentence(kwargs, message):
    arguments = {"x": np.zeros((1, 1, 5, 5)), "w": np.zeros((2, 1, 3, 3)), **kwargs}
    with pytest.raises(ValueError, match=message):
        conv2d(**arguments)


def test_conv2d_refuses_non_numeric_input_and_a_fractional_padding_with_a_type_error():
    with pytest.raises(TypeError, match=r"^conv2d expects x to be a NumPy array of numbers; got str\.$"):
        conv2d("image", np.zeros((1, 1, 3, 3)))
    with pytest.raises(TypeError, match=r"^conv2d expects padding to be a non-negative integer or a pair of them; "
                                        r"got 1\.5\.$"):
        conv2d(np.zeros((1, 1, 5, 5)), np.zeros((2, 1, 3, 3)), padding=1.5)
    with pytest.raises(TypeError, match=r"^conv_output_size expects stride to be a positive integer; got '1'\.$"):
        conv_output_size(5, 3, stride="1")


def test_backward_functions_check_the_shape_of_grad_out():
    x, w = np.zeros((2, 1, 5, 5)), np.zeros((4, 1, 3, 3))
    with pytest.raises(ValueError, match=r"conv2d_backward expects grad_out of the output's shape "
                                         r"\(N, F, H_out, W_out\) = \(2, 4, 3, 3\); got shape \(2, 4, 5, 5\)"):
        conv2d_backward(np.zeros((2, 4, 5, 5)), x, w)
    with pytest.raises(ValueError, match=r"max_pool2d_backward expects grad_out of the output's shape "
                                         r"\(N, C, H_out, W_out\) = \(2, 1, 2, 2\); got shape \(2, 1, 5, 5\)"):
        max_pool2d_backward(np.zeros((2, 1, 5, 5)), x, 2)


def test_max_pool2d_rejects_padding_over_half_the_kernel_and_a_flat_image():
    with pytest.raises(ValueError, match=r"max_pool2d expects padding at most half the kernel size; "
                                         r"got padding \(2, 2\) for kernel_size \(3, 3\)"):
        max_pool2d(np.zeros((1, 1, 6, 6)), 3, padding=2)
    with pytest.raises(ValueError, match=r"max_pool2d expects x of shape \(N, C, H, W\); got shape \(6, 6\)"):
        max_pool2d(np.zeros((6, 6)), 2)


def test_col2im_rejects_columns_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"col2im expects cols of shape \(N, C\*kh\*kw, L\) = \(1, 9, 9\)"):
        col2im(np.zeros((1, 9, 8)), (1, 1, 5, 5), 3)


# ------------------------------------------------------------------ the public names
def test_every_routed_name_resolves_to_this_module():
    for name in ["conv2d", "conv2d_naive", "conv2d_backward", "im2col", "max_pool2d", "max_pool2d_backward",
                 "conv_output_size"]:
        assert name in conv.__all__
        assert getattr(nn, name) is getattr(conv, name)
