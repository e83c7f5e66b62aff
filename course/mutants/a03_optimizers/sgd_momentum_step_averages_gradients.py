"""Writes the velocity as an average, b = mu b + (1 - mu) g, instead of torch's sum b = mu b + g."""
FUNCTION = "sgd_momentum_step"
EDITS = [
    ("    new_velocity = momentum * velocity + grad  # b_t = mu b_(t-1) + g_t",
     "    new_velocity = momentum * velocity + (1 - momentum) * grad"),
]
