"""Lets epsilon go on falling after decay_steps (no min(1, t / T)), so it sinks below `end` and turns negative."""
FUNCTION = "epsilon_by_step"
EDITS = [
    ("    fraction = min(1.0, step / decay_steps)  # how far through the decay; held at 1 afterwards\n"
     "    return start + fraction * (end - start)",
     "    return start + (step / decay_steps) * (end - start)"),
]
