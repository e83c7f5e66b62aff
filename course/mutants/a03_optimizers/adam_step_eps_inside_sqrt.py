"""Puts eps inside the root, sqrt(v_hat + eps), instead of after it as torch does."""
FUNCTION = "adam_step"
EDITS = [
    ("    return param - lr * m_hat / (np.sqrt(v_hat) + eps), new_m, new_v",
     "    return param - lr * m_hat / np.sqrt(v_hat + eps), new_m, new_v"),
]
