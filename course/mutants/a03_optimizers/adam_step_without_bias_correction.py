"""Forgets the bias correction and divides m_t by sqrt(v_t) + eps directly."""
import numpy as np


def adam_step(param, grad, m, v, t, lr, beta1, beta2, eps):
    """One step of Adam."""
    new_m = beta1 * m + (1 - beta1) * grad
    new_v = beta2 * v + (1 - beta2) * grad**2
    return param - lr * new_m / (np.sqrt(new_v) + eps), new_m, new_v
