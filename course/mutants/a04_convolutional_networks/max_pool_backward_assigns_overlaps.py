"""Assigns (=) each window's gradient instead of adding it (+=), so with overlapping windows the last window overwrites the others."""
FUNCTION = "max_pool_backward"
EDITS = [
    ("            grad_x[n, c, i * stride + row, j * stride + col] += grad_out[:, :, i, j]",
     "            grad_x[n, c, i * stride + row, j * stride + col] = grad_out[:, :, i, j]"),
]
