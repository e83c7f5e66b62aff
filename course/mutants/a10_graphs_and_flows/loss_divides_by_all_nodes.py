"""Sums the labelled nodes' losses but divides by the number of all nodes."""
FUNCTION = "masked_cross_entropy"
EDITS = [
    ('    return -log_p.gather(1, y[mask][:, None]).mean()  # mean over the labelled nodes only',
     '    return -log_p.gather(1, y[mask][:, None]).sum() / len(y)'),
]
