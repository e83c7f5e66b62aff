"""Samples among all `capacity` slots, filled or not, so a half-full buffer returns empty zero transitions."""
FUNCTION = "ReplayBuffer"
EDITS = [
    ("        rows = rng.choice(self.size, size=batch_size, replace=False)  # only filled slots, no repeats",
     "        rows = rng.choice(self.capacity, size=batch_size, replace=False)  # every slot, filled or not"),
]
