"""Puts eps inside the root, sqrt(v_hat + eps), instead of after it as torch does."""
import numpy as np


def adam_step(param, grad, m, v, t, lr, beta1, beta2, eps):
    """One step of Adam."""
    new_m = beta1 * m + (1 - beta1) * grad
    new_v = beta2 * v + (1 - beta2) * grad**2
    m_hat = new_m / (1 - beta1**t)
    v_hat = new_v / (1 - beta2**t)
    return param - lr * m_hat / np.sqrt(v_hat + eps), new_m, new_v
