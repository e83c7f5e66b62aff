"""Computes the true convolution of signal processing: flips each filter upside down and left to right."""
FUNCTION = "conv2d_forward"
EDITS = [
    ("            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3]))",
     "            out[:, :, i, j] = np.tensordot(window, w[:, :, ::-1, ::-1], axes=([1, 2, 3], [1, 2, 3]))"),
]
