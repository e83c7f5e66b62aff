"""Convolution and max pooling in NumPy, forward and backward (lecture 07).

Arrays are laid out NCHW as in PyTorch: x (N, C, H, W) is a batch of N images with C
channels, w (F, C, kh, kw) a bank of F filters. What deep learning calls "convolution" is
cross-correlation (the filter is not flipped), exactly ``torch.nn.functional.conv2d``::

    out[n, f, i, j] = b[f] + sum_{c, m, p} x_pad[n, c, i*s + m, j*s + p] * w[f, c, m, p]

The textbook convolution (I * K)_ij = sum_{m, p} I(i - m, j - p) K(m, p) flips the kernel;
for learned filters the flip only relabels the weights, so libraries drop it.

Two versions of the forward pass sit side by side: ``conv2d_naive`` is the definition,
written as loops; ``conv2d`` rearranges every receptive field into a column (``im2col``)
and does one matrix product, which is what makes it fast. Tests hold one to the other and
both to torch. ``col2im`` is the adjoint of ``im2col`` (it adds overlapping windows back
together) and gives the input gradient of both convolution and pooling.

``stride``, ``padding`` and ``kernel_size`` take an int (same for height and width) or a
pair (height, width), as in torch.
"""
from __future__ import annotations

import numpy as np

from .._validation import check_array, check_int, shown

__all__ = [
    "conv_output_size",
    "conv2d_naive",
    "im2col",
    "col2im",
    "conv2d",
    "conv2d_backward",
    "max_pool2d",
    "max_pool2d_backward",
]


# ------------------------------------------------------------------ validation helpers
def _float_array(a, function: str, name: str) -> np.ndarray:
    """a as a float array: integers become float64, float32 stays float32."""
    array = check_array(a, name, function, dtype=None)
    return array if array.dtype.kind == "f" else array.astype(np.float64)


def _images(x, function: str, name: str = "x") -> np.ndarray:
    x = _float_array(x, function, name)
    if x.ndim != 4:
        raise ValueError(f"{function} expects {name} of shape (N, C, H, W); got shape {x.shape}.")
    return x


def _pair(value, function: str, name: str, minimum: int) -> tuple[int, int]:
    """An int or a pair of ints, each >= minimum, as a pair (height, width)."""
    allowed = f"{'a positive' if minimum == 1 else 'a non-negative'} integer or a pair of them"
    values = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(values) != 2:
        raise ValueError(f"{function} expects {name} to be {allowed}; got {shown(value)}.")
    height, width = (check_int(v, name, function, minimum=minimum, allowed=allowed) for v in values)
    return height, width


def _output_shape(function: str, height: int, width: int, kernel, stride, padding) -> tuple[int, int]:
    """(H_out, W_out), or a ValueError when the kernel does not fit the padded input."""
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    if kh > height + 2 * ph or kw > width + 2 * pw:
        raise ValueError(f"{function} expects a kernel no larger than the padded input; got a {kh}x{kw} kernel "
                         f"for a {height}x{width} input with padding {padding} "
                         f"(padded {height + 2 * ph}x{width + 2 * pw}).")
    return (height + 2 * ph - kh) // sh + 1, (width + 2 * pw - kw) // sw + 1


def conv_output_size(size, kernel_size, stride=1, padding=0) -> int:
    """Length of a convolution's or pooling's output along one axis.

    size: input length (H or W); the kernel of length kernel_size moves in steps of stride
    over the input with padding zeros added at both ends, so the output has
    (size + 2*padding - kernel_size) // stride + 1 entries (floor: a last window that would
    stick out is dropped, as in torch).
    """
    size, kernel_size, stride = (check_int(value, name, "conv_output_size", minimum=1) for name, value in
                                 (("size", size), ("kernel_size", kernel_size), ("stride", stride)))
    padding = check_int(padding, "padding", "conv_output_size", minimum=0)
    if kernel_size > size + 2 * padding:
        raise ValueError(f"conv_output_size expects kernel_size <= size + 2*padding; got kernel_size {kernel_size} "
                         f"for size {size} with padding {padding}.")
    return (size + 2 * padding - kernel_size) // stride + 1


def _check_conv(function: str, x, w, b, stride, padding):
    """Validated (x, w, b, stride pair, padding pair, (H_out, W_out)) for conv2d and friends."""
    x = _images(x, function)
    w = _float_array(w, function, "w")
    if w.ndim != 4:
        raise ValueError(f"{function} expects w of shape (F, C, kh, kw); got shape {w.shape}.")
    if w.shape[1] != x.shape[1]:
        raise ValueError(f"{function} expects w with as many channels as x ({x.shape[1]}), shape "
                         f"(F, {x.shape[1]}, kh, kw); got w of shape {w.shape}.")
    if b is not None:
        b = _float_array(b, function, "b")
        if b.shape != (w.shape[0],):
            raise ValueError(f"{function} expects b of shape (F,) = ({w.shape[0]},), one bias per filter; "
                             f"got shape {b.shape}.")
    stride = _pair(stride, function, "stride", 1)
    padding = _pair(padding, function, "padding", 0)
    out_shape = _output_shape(function, x.shape[2], x.shape[3], w.shape[2:], stride, padding)
    return x, w, b, stride, padding, out_shape


def _pad(x: np.ndarray, padding: tuple[int, int], value: float = 0.0) -> np.ndarray:
    """x (N, C, H, W) with padding rows/columns of value on each side of H and W."""
    ph, pw = padding
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=value)


# ------------------------------------------------------------------ convolution, the definition
def conv2d_naive(x, w, b=None, stride=1, padding=0):
    """Cross-correlate a batch of images with a bank of filters, one output entry at a time.

    x: (N, C, H, W) images; w: (F, C, kh, kw) filters; b: (F,) or None.
    Returns (N, F, H_out, W_out) with H_out = (H + 2*padding - kh) // stride + 1 (same for W).
    Slow (four Python loops); it is the definition that ``conv2d`` must reproduce.
    """
    x, w, b, (sh, sw), padding, (H_out, W_out) = _check_conv("conv2d_naive", x, w, b, stride, padding)
    N, F, kh, kw = x.shape[0], w.shape[0], w.shape[2], w.shape[3]
    x_pad = _pad(x, padding)
    out = np.zeros((N, F, H_out, W_out), dtype=np.result_type(x, w))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    # the receptive field of out[n, f, i, j]: all C channels, kh x kw pixels
                    window = x_pad[n, :, i * sh:i * sh + kh, j * sw:j * sw + kw]  # (C, kh, kw)
                    # out[n,f,i,j] = b[f] + sum_{c,m,p} x_pad[n, c, i*s+m, j*s+p] w[f, c, m, p]
                    out[n, f, i, j] = np.sum(window * w[f])
            if b is not None:
                out[n, f] += b[f]
    return out


# ------------------------------------------------------------------ convolution, the fast version
def im2col(x, kernel_size, stride=1, padding=0):
    """Unroll every kh x kw receptive field of x into a column, like ``torch.nn.functional.unfold``.

    x: (N, C, H, W). Returns cols (N, C*kh*kw, L) with L = H_out * W_out windows in row-major
    order; row c*kh*kw + m*kw + p of column i*W_out + j holds x_pad[n, c, i*s_h + m, j*s_w + p].
    A convolution is then one product: w.reshape(F, C*kh*kw) @ cols.
    """
    x = _images(x, "im2col")
    kernel = _pair(kernel_size, "im2col", "kernel_size", 1)
    stride = _pair(stride, "im2col", "stride", 1)
    padding = _pair(padding, "im2col", "padding", 0)
    out_shape = _output_shape("im2col", x.shape[2], x.shape[3], kernel, stride, padding)
    return _im2col(_pad(x, padding), kernel, stride, out_shape)


def _im2col(x_pad, kernel, stride, out_shape):
    """im2col of an already padded x_pad (N, C, Hp, Wp): (N, C*kh*kw, H_out*W_out)."""
    (kh, kw), (sh, sw), (H_out, W_out) = kernel, stride, out_shape
    N, C = x_pad.shape[:2]
    cols = np.empty((N, C, kh, kw, H_out, W_out), dtype=x_pad.dtype)
    # Loop over the kh*kw offsets (m, p) in the kernel rather than over the H_out*W_out windows:
    # offset (m, p) of every window is one strided slice of the image.
    for m in range(kh):
        for p in range(kw):
            cols[:, :, m, p] = x_pad[:, :, m:m + sh * H_out:sh, p:p + sw * W_out:sw]  # (N, C, H_out, W_out)
    return cols.reshape(N, C * kh * kw, H_out * W_out)


def col2im(cols, input_shape, kernel_size, stride=1, padding=0):
    """Fold columns back into images, adding up entries of overlapping windows (``torch.nn.functional.fold``).

    cols: (N, C*kh*kw, L) as im2col returns; input_shape: (N, C, H, W) of the images.
    Returns (N, C, H, W). col2im is the transpose (adjoint) of im2col, so it carries a
    gradient with respect to the columns back to the image: pixels in several windows
    receive the sum of their gradients, padding is cut off, uncovered pixels get 0.
    """
    cols = _float_array(cols, "col2im", "cols")
    if len(input_shape) != 4:
        raise ValueError(f"col2im expects input_shape (N, C, H, W); got {tuple(input_shape)}.")
    N, C, H, W = (int(v) for v in input_shape)
    kernel = _pair(kernel_size, "col2im", "kernel_size", 1)
    stride = _pair(stride, "col2im", "stride", 1)
    padding = _pair(padding, "col2im", "padding", 0)
    H_out, W_out = _output_shape("col2im", H, W, kernel, stride, padding)
    expected = (N, C * kernel[0] * kernel[1], H_out * W_out)
    if cols.shape != expected:
        raise ValueError(f"col2im expects cols of shape (N, C*kh*kw, L) = {expected} for input_shape "
                         f"{tuple(input_shape)}; got shape {cols.shape}.")
    return _col2im(cols, (N, C, H, W), kernel, stride, padding, (H_out, W_out))


def _col2im(cols, input_shape, kernel, stride, padding, out_shape):
    """Inverse bookkeeping of _im2col: scatter-add (N, C*kh*kw, L) into (N, C, H, W)."""
    (N, C, H, W), (kh, kw), (sh, sw), (ph, pw), (H_out, W_out) = input_shape, kernel, stride, padding, out_shape
    cols = cols.reshape(N, C, kh, kw, H_out, W_out)
    x_pad = np.zeros((N, C, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    for m in range(kh):
        for p in range(kw):
            # += because a pixel belongs to several windows when stride < kernel size
            x_pad[:, :, m:m + sh * H_out:sh, p:p + sw * W_out:sw] += cols[:, :, m, p]
    return x_pad[:, :, ph:ph + H, pw:pw + W]


def conv2d(x, w, b=None, stride=1, padding=0):
    """Cross-correlate a batch of images with a bank of filters (im2col and one matrix product).

    x: (N, C, H, W) images; w: (F, C, kh, kw) filters; b: (F,) or None.
    Returns (N, F, H_out, W_out) with H_out = (H + 2*padding - kh) // stride + 1 (same for W),
    equal to ``conv2d_naive`` and to ``torch.nn.functional.conv2d``.
    """
    x, w, b, stride, padding, (H_out, W_out) = _check_conv("conv2d", x, w, b, stride, padding)
    N, (F, C, kh, kw) = x.shape[0], w.shape
    cols = _im2col(_pad(x, padding), (kh, kw), stride, (H_out, W_out))  # (N, C*kh*kw, L)
    out = w.reshape(F, C * kh * kw) @ cols  # (F, C*kh*kw) @ (N, C*kh*kw, L) -> (N, F, L)
    if b is not None:
        out = out + b[:, None]  # one bias per filter, broadcast over the L positions
    return out.reshape(N, F, H_out, W_out)


def conv2d_backward(grad_out, x, w, stride=1, padding=0):
    """Gradients of a loss through ``conv2d``, given dL/d(out).

    grad_out: (N, F, H_out, W_out); x: (N, C, H, W) and w: (F, C, kh, kw) as in the forward pass.
    Returns (grad_x (N, C, H, W), grad_w (F, C, kh, kw), grad_b (F,)), equal to torch autograd.
    With out = W_rows @ cols: dL/dW_rows = sum_n grad @ cols^T, dL/dcols = W_rows^T @ grad,
    and col2im folds dL/dcols back onto the pixels.
    """
    x, w, _, stride, padding, (H_out, W_out) = _check_conv("conv2d_backward", x, w, None, stride, padding)
    N, (F, C, kh, kw) = x.shape[0], w.shape
    grad_out = _float_array(grad_out, "conv2d_backward", "grad_out")
    if grad_out.shape != (N, F, H_out, W_out):
        raise ValueError(f"conv2d_backward expects grad_out of the output's shape (N, F, H_out, W_out) = "
                         f"{(N, F, H_out, W_out)}; got shape {grad_out.shape}.")
    grad = grad_out.reshape(N, F, H_out * W_out)  # (N, F, L)
    cols = _im2col(_pad(x, padding), (kh, kw), stride, (H_out, W_out))  # (N, C*kh*kw, L)
    grad_b = grad.sum(axis=(0, 2))  # (F,): each bias touches every position of its map
    grad_w = np.einsum("nfl,nkl->fk", grad, cols).reshape(F, C, kh, kw)  # sum_n grad_n @ cols_n^T
    grad_cols = w.reshape(F, C * kh * kw).T @ grad  # (C*kh*kw, F) @ (N, F, L) -> (N, C*kh*kw, L)
    grad_x = _col2im(grad_cols, x.shape, (kh, kw), stride, padding, (H_out, W_out))
    return grad_x, grad_w, grad_b


# ------------------------------------------------------------------ max pooling
def _check_pool(function: str, x, kernel_size, stride, padding):
    x = _images(x, function)
    kernel = _pair(kernel_size, function, "kernel_size", 1)
    stride = kernel if stride is None else _pair(stride, function, "stride", 1)  # torch: stride defaults to kernel
    padding = _pair(padding, function, "padding", 0)
    if padding[0] > kernel[0] // 2 or padding[1] > kernel[1] // 2:
        # as in torch: a window must never lie entirely in the padding
        raise ValueError(f"{function} expects padding at most half the kernel size; got padding {padding} "
                         f"for kernel_size {kernel}.")
    out_shape = _output_shape(function, x.shape[2], x.shape[3], kernel, stride, padding)
    return x, kernel, stride, padding, out_shape


def _pool_columns(x, kernel, stride, padding, out_shape):
    """Every pooling window of every channel as a column: (N*C, kh*kw, L)."""
    N, C, H, W = x.shape
    # Pad with -inf, not 0, so that padding never wins the max (torch does the same).
    x_pad = _pad(x.reshape(N * C, 1, H, W), padding, value=-np.inf)
    return _im2col(x_pad, kernel, stride, out_shape)


def max_pool2d(x, kernel_size, stride=None, padding=0):
    """Max pooling: the largest value in each kh x kw window, channel by channel.

    x: (N, C, H, W); stride defaults to kernel_size (non-overlapping windows), as in
    ``torch.nn.functional.max_pool2d``; padding (at most half the kernel) adds -inf borders.
    Returns (N, C, H_out, W_out) with H_out = (H + 2*padding - kh) // stride + 1 (same for W).
    """
    x, kernel, stride, padding, (H_out, W_out) = _check_pool("max_pool2d", x, kernel_size, stride, padding)
    N, C = x.shape[:2]
    cols = _pool_columns(x, kernel, stride, padding, (H_out, W_out))  # (N*C, kh*kw, L)
    return cols.max(axis=1).reshape(N, C, H_out, W_out)


def max_pool2d_backward(grad_out, x, kernel_size, stride=None, padding=0):
    """Gradient of a loss through ``max_pool2d``, given dL/d(out).

    grad_out: (N, C, H_out, W_out); x: (N, C, H, W) the forward input; kernel_size, stride,
    padding as in the forward pass. Returns grad_x (N, C, H, W): each window's gradient goes
    to its maximum only, the others get 0. On ties the first maximum in row-major order wins
    (as in torch); a pixel that is the maximum of several overlapping windows sums their gradients.
    """
    x, kernel, stride, padding, (H_out, W_out) = _check_pool("max_pool2d_backward", x, kernel_size, stride,
                                                            padding)
    N, C, H, W = x.shape
    grad_out = _float_array(grad_out, "max_pool2d_backward", "grad_out")
    if grad_out.shape != (N, C, H_out, W_out):
        raise ValueError(f"max_pool2d_backward expects grad_out of the output's shape (N, C, H_out, W_out) = "
                         f"{(N, C, H_out, W_out)}; got shape {grad_out.shape}.")
    cols = _pool_columns(x, kernel, stride, padding, (H_out, W_out))  # (N*C, kh*kw, L)
    winner = cols.argmax(axis=1)[:, None, :]  # (N*C, 1, L): argmax returns the first maximum
    grad_cols = np.zeros(cols.shape, dtype=np.result_type(grad_out, x))
    np.put_along_axis(grad_cols, winner, grad_out.reshape(N * C, 1, H_out * W_out), axis=1)
    grad_x = _col2im(grad_cols, (N * C, 1, H, W), kernel, stride, padding, (H_out, W_out))  # (N*C, 1, H, W)
    return grad_x.reshape(N, C, H, W)
