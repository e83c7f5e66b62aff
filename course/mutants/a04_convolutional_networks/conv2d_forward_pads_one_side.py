"""Adds all 2p rows and columns of zeros below and to the right of the image instead of p on every side."""
FUNCTION = "conv2d_forward"
EDITS = [
    ("    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))  # zeros on all four sides",
     "    x_pad = np.pad(x, ((0, 0), (0, 0), (0, 2 * padding), (0, 2 * padding)))"),
]
