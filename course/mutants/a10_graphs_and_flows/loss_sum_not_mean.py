"""Returns the sum of the labelled nodes' losses instead of their mean."""
FUNCTION = "masked_cross_entropy"
EDITS = [
    ('    return -log_p.gather(1, y[mask][:, None]).mean()  # mean over the labelled nodes only',
     '    return -log_p.gather(1, y[mask][:, None]).sum()'),
]
