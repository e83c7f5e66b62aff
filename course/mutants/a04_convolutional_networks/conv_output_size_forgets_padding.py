"""Leaves the padding out of the formula: (n - k) // s + 1."""
FUNCTION = "conv_output_size"
EDITS = [
    ("    return (size + 2 * padding - kernel_size) // stride + 1",
     "    return (size - kernel_size) // stride + 1"),
]
