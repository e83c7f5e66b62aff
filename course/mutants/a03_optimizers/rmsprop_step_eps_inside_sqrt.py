"""Puts eps inside the root, sqrt(v_t + eps), as TensorFlow does; torch adds it after the root."""
import numpy as np


def rmsprop_step(param, grad, square_avg, lr, alpha, eps):
    """One step of RMSprop."""
    new_square_avg = alpha * square_avg + (1 - alpha) * grad**2
    return param - lr * grad / np.sqrt(new_square_avg + eps), new_square_avg
