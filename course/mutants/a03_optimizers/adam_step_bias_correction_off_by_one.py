"""Treats t as counting from 0 and corrects with 1 - beta^(t + 1), one step behind torch's 1 - beta^t."""
FUNCTION = "adam_step"
EDITS = [
    ("    m_hat = new_m / (1 - beta1**t)  # bias correction: the weights of m_t sum to 1 - beta1^t\n"
     "    v_hat = new_v / (1 - beta2**t)",
     "    m_hat = new_m / (1 - beta1 ** (t + 1))\n"
     "    v_hat = new_v / (1 - beta2 ** (t + 1))"),
]
