"""Loops over len(x) // batch_size full batches only, so the rows of a smaller last batch are never attacked or counted."""
FUNCTION = "robust_accuracy"
EDITS = [
    ("    for x_batch, y_batch in zip(x.split(batch_size), y.split(batch_size)):",
     "    for start in range(0, len(x) // batch_size * batch_size, batch_size):\n"
     "        x_batch, y_batch = x[start:start + batch_size], y[start:start + batch_size]"),
]
