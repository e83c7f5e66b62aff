"""Updates the weights but returns the bias unchanged."""
import numpy as np


def perceptron_update(w, b, x, y, lr=1.0):
    """One step of Rosenblatt's rule on a single example."""
    y_hat = 1 if np.dot(w, x) + b >= 0 else 0
    error = y - y_hat
    return np.asarray(w, dtype=float) + lr * error * np.asarray(x, dtype=float), float(b)
