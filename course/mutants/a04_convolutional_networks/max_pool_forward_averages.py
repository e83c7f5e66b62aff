"""Takes the mean of each window (average pooling) instead of its maximum."""
FUNCTION = "max_pool_forward"
EDITS = [
    ("            out[:, :, i, j] = window.max(axis=(2, 3))",
     "            out[:, :, i, j] = window.mean(axis=(2, 3))"),
]
