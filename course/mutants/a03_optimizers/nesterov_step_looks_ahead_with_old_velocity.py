"""Looks ahead with the old velocity, g_t + mu b_(t-1), instead of the new one b_t."""
FUNCTION = "nesterov_step"
EDITS = [
    ("    return param - lr * (grad + momentum * new_velocity), new_velocity  # look ahead with the new velocity",
     "    return param - lr * (grad + momentum * velocity), new_velocity"),
]
