"""Implements Nesterov momentum as the heavy ball, theta - lr b_t, forgetting the look-ahead g_t + mu b_t."""
FUNCTION = "nesterov_step"
EDITS = [
    ("    return param - lr * (grad + momentum * new_velocity), new_velocity  # look ahead with the new velocity",
     "    return param - lr * new_velocity, new_velocity"),
]
