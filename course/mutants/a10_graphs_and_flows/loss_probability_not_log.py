"""Averages minus the probability of the true class instead of minus its log."""
FUNCTION = "masked_cross_entropy"
EDITS = [
    ('    return -log_p.gather(1, y[mask][:, None]).mean()  # mean over the labelled nodes only',
     '    return -log_p.exp().gather(1, y[mask][:, None]).mean()'),
]
