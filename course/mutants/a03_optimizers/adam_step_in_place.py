"""Updates m and v in place (m *= beta1; m += ...): the returned values are right, but the caller's arrays change."""
FUNCTION = "adam_step"
EDITS = [
    ("    new_m = beta1 * m + (1 - beta1) * grad  # m_t: running mean of g\n"
     "    new_v = beta2 * v + (1 - beta2) * grad**2  # v_t: running mean of g^2\n"
     "    m_hat = new_m / (1 - beta1**t)  # bias correction: the weights of m_t sum to 1 - beta1^t\n"
     "    v_hat = new_v / (1 - beta2**t)\n"
     "    return param - lr * m_hat / (np.sqrt(v_hat) + eps), new_m, new_v",
     "    m *= beta1\n"
     "    m += (1 - beta1) * grad\n"
     "    v *= beta2\n"
     "    v += (1 - beta2) * grad**2\n"
     "    m_hat = m / (1 - beta1**t)\n"
     "    v_hat = v / (1 - beta2**t)\n"
     "    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v"),
]
