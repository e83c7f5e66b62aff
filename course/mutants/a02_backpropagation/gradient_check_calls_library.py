"""Calls the course library's numerical_gradient instead of implementing it; the test's forbid_reference trap must withhold the credit."""
FUNCTION = "gradient_check"
EDITS = [
    ("def gradient_check(f, x, eps=1e-6):",
     "from dlcourse.checks import numerical_gradient as _library_numerical_gradient\n"
     "def gradient_check(f, x, eps=1e-6):"),
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
     "    return _library_numerical_gradient(f, x, eps)"),
]
