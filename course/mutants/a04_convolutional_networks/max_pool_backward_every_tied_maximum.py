"""Sends a window's gradient to every entry equal to its maximum (window == window.max()), so a window with tied maxima passes it on several times."""
FUNCTION = "max_pool_backward"
EDITS = [
    ("            first = window.reshape(N, C, size * size).argmax(axis=2)  # the first maximum in row-major order\n"
     "            row, col = np.divmod(first, size)  # its place inside the window\n"
     "            # += : with overlapping windows one entry can win several of them\n"
     "            grad_x[n, c, i * stride + row, j * stride + col] += grad_out[:, :, i, j]",
     "            winners = window == window.max(axis=(2, 3), keepdims=True)\n"
     "            grad_x[:, :, i * stride:i * stride + size, j * stride:j * stride + size] += winners * grad_out[:, :, i, j, None, None]"),
]
