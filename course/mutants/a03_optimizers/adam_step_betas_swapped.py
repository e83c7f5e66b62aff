"""Uses beta2 for the mean of g and beta1 for the mean of g^2 (the two decays swapped)."""
FUNCTION = "adam_step"
EDITS = [
    ("    new_m = beta1 * m + (1 - beta1) * grad  # m_t: running mean of g\n"
     "    new_v = beta2 * v + (1 - beta2) * grad**2  # v_t: running mean of g^2\n"
     "    m_hat = new_m / (1 - beta1**t)  # bias correction: the weights of m_t sum to 1 - beta1^t\n"
     "    v_hat = new_v / (1 - beta2**t)",
     "    new_m = beta2 * m + (1 - beta2) * grad\n"
     "    new_v = beta1 * v + (1 - beta1) * grad**2\n"
     "    m_hat = new_m / (1 - beta2**t)\n"
     "    v_hat = new_v / (1 - beta1**t)"),
]
