"""Uses the one-sided difference (f(x + eps e_i) - f(x)) / eps, whose error shrinks only like eps."""
FUNCTION = "gradient_check"
EDITS = [
    ("    grad = np.zeros(x.shape)",
     "    grad = np.zeros(x.shape)\n"
     "    f_x = float(f(x))"),
    ("        f_plus = float(f(x))\n"
     "        x[i] = original - eps\n"
     "        f_minus = float(f(x))",
     "        f_plus = float(f(x))"),
    ("        grad[i] = (f_plus - f_minus) / (2 * eps)  # central difference: error O(eps^2)",
     "        grad[i] = (f_plus - f_x) / eps"),
]
