"""Updates m and v in place (m *= beta1; m += ...): the returned values are right, but the caller's arrays change."""
import numpy as np


def adam_step(param, grad, m, v, t, lr, beta1, beta2, eps):
    """One step of Adam."""
    m *= beta1
    m += (1 - beta1) * grad
    v *= beta2
    v += (1 - beta2) * grad**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
