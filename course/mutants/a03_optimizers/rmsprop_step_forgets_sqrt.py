"""Divides by the mean square v_t + eps instead of the root mean square sqrt(v_t) + eps."""
FUNCTION = "rmsprop_step"
EDITS = [
    ("    return param - lr * grad / (np.sqrt(new_square_avg) + eps), new_square_avg  # eps outside the root, as torch",
     "    return param - lr * grad / (new_square_avg + eps), new_square_avg"),
]
