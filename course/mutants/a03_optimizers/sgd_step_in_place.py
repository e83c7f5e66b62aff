"""Updates the caller's array with param -= lr * grad and returns it: the values are right, but param is changed."""
FUNCTION = "sgd_step"
EDITS = [
    ("    return param - lr * grad",
     "    param -= lr * grad\n"
     "    return param"),
]
