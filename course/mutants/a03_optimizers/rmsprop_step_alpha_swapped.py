"""Swaps the weights of the running mean: v_t = (1 - alpha) v_(t-1) + alpha g_t^2."""
FUNCTION = "rmsprop_step"
EDITS = [
    ("    new_square_avg = alpha * square_avg + (1 - alpha) * grad**2  # v_t = alpha v_(t-1) + (1 - alpha) g_t^2",
     "    new_square_avg = (1 - alpha) * square_avg + alpha * grad**2"),
]
