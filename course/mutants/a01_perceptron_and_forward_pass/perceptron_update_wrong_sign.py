"""Moves the weights the wrong way: w - lr (y - y_hat) x and b - lr (y - y_hat)."""
FUNCTION = "perceptron_update"
EDITS = [
    ("    new_w = np.asarray(w, dtype=float) + lr * error * np.asarray(x, dtype=float)\n"
     "    new_b = float(b + lr * error)",
     "    new_w = np.asarray(w, dtype=float) - lr * error * np.asarray(x, dtype=float)\n"
     "    new_b = float(b - lr * error)"),
]
