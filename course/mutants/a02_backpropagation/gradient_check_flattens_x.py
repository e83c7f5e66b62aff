"""Loops over a flattened copy of x and calls f with a 1-D vector, which breaks any f that needs x's shape (a weight matrix)."""
FUNCTION = "gradient_check"
EDITS = [
    ("    grad = np.zeros(x.shape)\n"
     "    for i in np.ndindex(x.shape):\n"
     "        original = x[i]\n"
     "        x[i] = original + eps\n"
     "        f_plus = float(f(x))\n"
     "        x[i] = original - eps\n"
     "        f_minus = float(f(x))\n"
     "        x[i] = original  # put the entry back before moving on\n"
     "        grad[i] = (f_plus - f_minus) / (2 * eps)  # central difference: error O(eps^2)\n"
     "    return grad",
     "    flat = x.ravel().copy()\n"
     "    grad = np.zeros(flat.shape)\n"
     "    for i in range(flat.size):\n"
     "        step = np.zeros(flat.shape)\n"
     "        step[i] = eps\n"
     "        grad[i] = (float(f(flat + step)) - float(f(flat - step))) / (2 * eps)\n"
     "    return grad.reshape(x.shape)"),
]
