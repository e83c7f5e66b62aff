"""Records only the points after each step, so the path has `steps` rows and lacks the start."""
FUNCTION = "run_optimizer"
EDITS = [
    ("    path = [param.copy()]",
     "    path = []"),
]
