"""Steps by the window size and ignores the stride argument, so overlapping windows are never formed."""
FUNCTION = "max_pool_forward"
EDITS = [
    ("    H_out = (H - size) // stride + 1\n"
     "    W_out = (W - size) // stride + 1",
     "    H_out, W_out = H // size, W // size"),
    ("            window = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size]  # (N, C, size, size)",
     "            window = x[:, :, i * size:(i + 1) * size, j * size:(j + 1) * size]"),
]
