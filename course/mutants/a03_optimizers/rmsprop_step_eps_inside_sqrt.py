"""Puts eps inside the root, sqrt(v_t + eps), as TensorFlow does; torch adds it after the root."""
FUNCTION = "rmsprop_step"
EDITS = [
    ("    return param - lr * grad / (np.sqrt(new_square_avg) + eps), new_square_avg  # eps outside the root, as torch",
     "    return param - lr * grad / np.sqrt(new_square_avg + eps), new_square_avg"),
]
