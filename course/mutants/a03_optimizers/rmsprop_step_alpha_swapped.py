"""Swaps the weights of the running mean: v_t = (1 - alpha) v_(t-1) + alpha g_t^2."""
import numpy as np


def rmsprop_step(param, grad, square_avg, lr, alpha, eps):
    """One step of RMSprop."""
    new_square_avg = (1 - alpha) * square_avg + alpha * grad**2
    return param - lr * grad / (np.sqrt(new_square_avg) + eps), new_square_avg
