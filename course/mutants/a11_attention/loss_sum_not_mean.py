"""Sums the losses of the predictions instead of averaging them."""
FUNCTION = "causal_lm_loss"
EDITS = [
    ("    return -log_p.gather(-1, ids[:, 1:, None]).mean()  # stable, and the mean over the N (T - 1) predictions",
     "    return -log_p.gather(-1, ids[:, 1:, None]).sum()"),
]
