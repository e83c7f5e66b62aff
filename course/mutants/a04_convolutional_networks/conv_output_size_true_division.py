"""Divides with / instead of //, so the size is a float, and a fraction when the stride does not divide."""
FUNCTION = "conv_output_size"
EDITS = [
    ("    return (size + 2 * padding - kernel_size) // stride + 1",
     "    return (size + 2 * padding - kernel_size) / stride + 1"),
]
