"""Calls the course library's dlcourse.nn.conv2d instead of writing the layer; the forbid_reference trap must withhold the credit."""
FUNCTION = "conv2d_forward"
EDITS = [
    ("    N, C, H, W = x.shape\n"
     "    F, _, k, _ = w.shape\n"
     "    H_out = (H + 2 * padding - k) // stride + 1\n"
     "    W_out = (W + 2 * padding - k) // stride + 1\n"
     "    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))  # zeros on all four sides\n"
     "    out = np.zeros((N, F, H_out, W_out))\n"
     "    for i in range(H_out):\n"
     "        for j in range(W_out):\n"
     "            window = x_pad[:, :, i * stride:i * stride + k, j * stride:j * stride + k]  # (N, C, k, k)\n"
     "            # every image against every filter, summed over channels and kernel positions: (N, F)\n"
     "            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3]))\n"
     "    return out + b[None, :, None, None]  # one bias per filter, the same at every position",
     "    return dlcourse.nn.conv2d(x, w, b, stride=stride, padding=padding)"),
]
