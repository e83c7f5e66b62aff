"""Loops over range(0, N - batch_size + 1, batch_size), silently dropping the last, smaller batch of every epoch."""
FUNCTION = "train_cnn"
EDITS = [
    ("        for start in range(0, len(X), batch_size):  # the last batch may be smaller; it still counts",
     "        for start in range(0, max(len(X) - batch_size + 1, 1), batch_size):"),
]
