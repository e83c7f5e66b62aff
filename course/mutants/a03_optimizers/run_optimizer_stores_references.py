"""Appends the point itself, not a copy, and steps from start itself: with a step that updates in place every row is the last point."""
FUNCTION = "run_optimizer"
EDITS = [
    ("    param = np.array(start, dtype=float)  # a copy: start stays as it was\n"
     "    path = [param.copy()]",
     "    param = start\n"
     "    path = [param]"),
    ("        path.append(np.array(param, dtype=float))  # a copy, in case step updates param in place later",
     "        path.append(param)"),
]
