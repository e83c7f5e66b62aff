"""Always starts from init_params(..., 0) and shuffles with seed 0, ignoring the seed argument."""
FUNCTION = "train"
EDITS = [
    ("    rng = np.random.default_rng(seed)",
     "    rng = np.random.default_rng(0)"),
    ("    params = init_params([X.shape[1], hidden, hidden, int(np.max(y)) + 1], seed)",
     "    params = init_params([X.shape[1], hidden, hidden, int(np.max(y)) + 1], 0)"),
]
