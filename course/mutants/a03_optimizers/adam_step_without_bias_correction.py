"""Forgets the bias correction and divides m_t by sqrt(v_t) + eps directly."""
FUNCTION = "adam_step"
EDITS = [
    ("    m_hat = new_m / (1 - beta1**t)  # bias correction: the weights of m_t sum to 1 - beta1^t\n"
     "    v_hat = new_v / (1 - beta2**t)\n"
     "    return param - lr * m_hat / (np.sqrt(v_hat) + eps), new_m, new_v",
     "    return param - lr * new_m / (np.sqrt(new_v) + eps), new_m, new_v"),
]
