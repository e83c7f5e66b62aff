"""Returns the loss as a Python float with .item(), which autograd cannot differentiate."""
FUNCTION = "masked_cross_entropy"
EDITS = [
    ('    return -log_p.gather(1, y[mask][:, None]).mean()  # mean over the labelled nodes only',
     '    return -log_p.gather(1, y[mask][:, None]).mean().item()'),
]
