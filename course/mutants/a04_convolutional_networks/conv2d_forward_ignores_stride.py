"""Always slides the filter one pixel at a time, whatever the stride."""
FUNCTION = "conv2d_forward"
EDITS = [
    ("    H_out = (H + 2 * padding - k) // stride + 1\n"
     "    W_out = (W + 2 * padding - k) // stride + 1",
     "    H_out = H + 2 * padding - k + 1\n"
     "    W_out = W + 2 * padding - k + 1"),
    ("            window = x_pad[:, :, i * stride:i * stride + k, j * stride:j * stride + k]  # (N, C, k, k)",
     "            window = x_pad[:, :, i:i + k, j:j + k]"),
]
