"""Returns probs - onehot(y) without the 1/N that the mean over the batch puts into BP1."""
import numpy as np


def output_delta(probs, y):
    """BP1 for a softmax output with the mean cross-entropy: Delta^L = (probs - onehot(y)) / N."""
    delta = np.array(probs, dtype=float)
    delta[np.arange(delta.shape[0]), y] -= 1.0
    return delta
