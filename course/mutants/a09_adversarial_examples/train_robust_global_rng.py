"""Draws the order from torch's global generator instead of one seeded with seed, so runs do not repeat."""
FUNCTION = "train_robust"
EDITS = [
    ("        for rows in torch.randperm(len(X), generator=order).split(batch_size):  # a new order every epoch",
     "        for rows in torch.randperm(len(X)).split(batch_size):"),
]
