"""Copies each window's gradient to every entry of the window, not only to its maximum."""
FUNCTION = "max_pool_backward"
EDITS = [
    ("            window = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size]  # (N, C, size, size)\n"
     "            first = window.reshape(N, C, size * size).argmax(axis=2)  # the first maximum in row-major order\n"
     "            row, col = np.divmod(first, size)  # its place inside the window\n"
     "            # += : with overlapping windows one entry can win several of them\n"
     "            grad_x[n, c, i * stride + row, j * stride + col] += grad_out[:, :, i, j]",
     "            grad_x[:, :, i * stride:i * stride + size, j * stride:j * stride + size] += grad_out[:, :, i, j, None, None]"),
]
