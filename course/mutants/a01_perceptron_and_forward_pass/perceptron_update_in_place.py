"""Updates the caller's weight array in place with w += ...: the returned values are right, but the input is changed."""
FUNCTION = "perceptron_update"
EDITS = [
    ("    new_w = np.asarray(w, dtype=float) + lr * error * np.asarray(x, dtype=float)\n"
     "    new_b = float(b + lr * error)\n"
     "    return new_w, new_b",
     "    w += lr * error * np.asarray(x, dtype=float)\n"
     "    b += lr * error\n"
     "    return w, b"),
]
