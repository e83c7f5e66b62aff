"""Fixes the momentum at the typical 0.9 and ignores the argument; only the hidden tests use another momentum."""
FUNCTION = "nesterov_step"
EDITS = [
    ("    new_velocity = momentum * velocity + grad  # b_t = mu b_(t-1) + g_t\n"
     "    return param - lr * (grad + momentum * new_velocity), new_velocity  # look ahead with the new velocity",
     "    mu = 0.9\n"
     "    new_velocity = mu * velocity + grad\n"
     "    return param - lr * (grad + mu * new_velocity), new_velocity"),
]
