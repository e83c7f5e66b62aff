"""Updates the caller's weight array in place with w += ...: the returned values are right, but the input is changed."""
import numpy as np


def perceptron_update(w, b, x, y, lr=1.0):
    """One step of Rosenblatt's rule on a single example."""
    y_hat = 1 if np.dot(w, x) + b >= 0 else 0
    error = y - y_hat
    w += lr * error * np.asarray(x, dtype=float)
    b += lr * error
    return w, b
