"""Loops with range(n // batch_size), silently skipping the last, smaller batch of every epoch."""
FUNCTION = "train"
EDITS = [
    ("        for start in range(0, n, batch_size):\n"
     "            batch = order[start:start + batch_size]",
     "        for k in range(n // batch_size):\n"
     "            batch = order[k * batch_size:(k + 1) * batch_size]"),
]
