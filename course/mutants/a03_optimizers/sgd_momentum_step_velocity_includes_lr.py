"""Uses the v = mu v - lr g, theta = theta + v form: the path is torch's, but the returned velocity is -lr b, not b."""
FUNCTION = "sgd_momentum_step"
EDITS = [
    ("    new_velocity = momentum * velocity + grad  # b_t = mu b_(t-1) + g_t\n"
     "    return param - lr * new_velocity, new_velocity  # theta_t = theta_(t-1) - gamma b_t",
     "    new_velocity = momentum * velocity - lr * grad\n"
     "    return param + new_velocity, new_velocity"),
]
