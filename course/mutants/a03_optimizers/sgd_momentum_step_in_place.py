"""Updates the velocity in place (velocity *= momentum; velocity += grad): the caller's buffer changes."""
FUNCTION = "sgd_momentum_step"
EDITS = [
    ("    new_velocity = momentum * velocity + grad  # b_t = mu b_(t-1) + g_t\n"
     "    return param - lr * new_velocity, new_velocity  # theta_t = theta_(t-1) - gamma b_t",
     "    velocity *= momentum\n"
     "    velocity += grad\n"
     "    return param - lr * velocity, velocity"),
]
