"""Takes the log of the whole probability matrix and then picks the entries: an unused 0 anywhere still warns."""
import numpy as np


def cross_entropy_loss(probs, y):
    """Mean cross-entropy -1/N sum_i log probs[i, y_i] of predicted class probabilities."""
    log_probs = np.log(probs)
    picked = np.maximum(log_probs[np.arange(probs.shape[0]), y], np.log(1e-12))
    return float(-np.mean(picked))
