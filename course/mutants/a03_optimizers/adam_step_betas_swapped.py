"""Uses beta2 for the mean of g and beta1 for the mean of g^2 (the two decays swapped)."""
import numpy as np


def adam_step(param, grad, m, v, t, lr, beta1, beta2, eps):
    """One step of Adam."""
    new_m = beta2 * m + (1 - beta2) * grad
    new_v = beta1 * v + (1 - beta1) * grad**2
    m_hat = new_m / (1 - beta2**t)
    v_hat = new_v / (1 - beta1**t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), new_m, new_v
