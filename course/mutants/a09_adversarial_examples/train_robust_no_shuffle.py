"""Visits the rows in the same order every epoch instead of drawing a new permutation."""
FUNCTION = "train_robust"
EDITS = [
    ("        for rows in torch.randperm(len(X), generator=order).split(batch_size):  # a new order every epoch",
     "        for rows in torch.arange(len(X)).split(batch_size):"),
]
