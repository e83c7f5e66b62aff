"""Starts each window's running maximum at 0, so a window of negative values gives 0."""
FUNCTION = "max_pool_forward"
EDITS = [
    ("    out = np.empty((N, C, H_out, W_out), dtype=np.result_type(x, np.float32))\n"
     "    for i in range(H_out):\n"
     "        for j in range(W_out):\n"
     "            window = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size]  # (N, C, size, size)\n"
     "            out[:, :, i, j] = window.max(axis=(2, 3))",
     "    out = np.zeros((N, C, H_out, W_out))\n"
     "    for n in range(N):\n"
     "        for c in range(C):\n"
     "            for i in range(H_out):\n"
     "                for j in range(W_out):\n"
     "                    best = 0.0\n"
     "                    for m in range(size):\n"
     "                        for q in range(size):\n"
     "                            best = max(best, x[n, c, i * stride + m, j * stride + q])\n"
     "                    out[n, c, i, j] = best"),
]
