"""Numbers the steps t = 0, 1, ..., steps - 1 (Python's range(steps)) instead of 1, 2, ..., steps."""
FUNCTION = "run_optimizer"
EDITS = [
    ("    for t in range(1, steps + 1):",
     "    for t in range(steps):"),
]
