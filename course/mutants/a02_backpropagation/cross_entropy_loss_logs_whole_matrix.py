"""Takes the log of the whole probability matrix and then picks the entries: an unused 0 anywhere still warns."""
FUNCTION = "cross_entropy_loss"
EDITS = [
    ("    probs = np.asarray(probs, dtype=float)\n"
     "    picked = probs[np.arange(probs.shape[0]), y]  # (N,): the probability each example gives its class\n"
     "    return float(-np.mean(np.log(np.maximum(picked, 1e-12))))",
     "    log_probs = np.log(probs)\n"
     "    picked = np.maximum(log_probs[np.arange(probs.shape[0]), y], np.log(1e-12))\n"
     "    return float(-np.mean(picked))"),
]
