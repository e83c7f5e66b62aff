"""Once full, overwrites the newest transition (the last slot) instead of the oldest, so old ones are never replaced."""
FUNCTION = "ReplayBuffer"
EDITS = [
    ("        self.position = (i + 1) % self.capacity  # round the ring",
     "        self.position = min(i + 1, self.capacity - 1)  # stops at the last slot, which every later push overwrites"),
]
