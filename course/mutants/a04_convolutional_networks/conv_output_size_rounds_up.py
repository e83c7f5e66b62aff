"""Rounds (n + 2p - k) / s up instead of down, keeping a last window that sticks out of the padded input."""
FUNCTION = "conv_output_size"
EDITS = [
    ("def conv_output_size(size, kernel_size, stride=1, padding=0):",
     "import math\n"
     "def conv_output_size(size, kernel_size, stride=1, padding=0):"),
    ("    return (size + 2 * padding - kernel_size) // stride + 1",
     "    return math.ceil((size + 2 * padding - kernel_size) / stride) + 1"),
]
