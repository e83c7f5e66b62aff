"""Fixes beta1 = 0.9 and beta2 = 0.999 (torch's defaults) and ignores the arguments; only the hidden tests use other betas."""
FUNCTION = "adam_step"
EDITS = [
    ("    new_m = beta1 * m + (1 - beta1) * grad  # m_t: running mean of g\n"
     "    new_v = beta2 * v + (1 - beta2) * grad**2  # v_t: running mean of g^2\n"
     "    m_hat = new_m / (1 - beta1**t)  # bias correction: the weights of m_t sum to 1 - beta1^t\n"
     "    v_hat = new_v / (1 - beta2**t)",
     "    new_m = 0.9 * m + 0.1 * grad\n"
     "    new_v = 0.999 * v + 0.001 * grad**2\n"
     "    m_hat = new_m / (1 - 0.9**t)\n"
     "    v_hat = new_v / (1 - 0.999**t)"),
]
