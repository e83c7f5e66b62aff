"""Thresholds with w . x + b > 0, so a weighted sum of exactly 0 is predicted as class 0 instead of 1."""
FUNCTION = "perceptron_update"
EDITS = [
    ("    y_hat = 1 if np.dot(w, x) + b >= 0 else 0",
     "    y_hat = 1 if np.dot(w, x) + b > 0 else 0"),
]
