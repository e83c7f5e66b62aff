"""Sums the scales exp(s) instead of their logs s."""
FUNCTION = "coupling_forward"
EDITS = [
    ("    log_det = ((1 - mask) * s).sum(dim=1)  # a triangular Jacobian: the sum of the changed coordinates' s",
     '    log_det = ((1 - mask) * torch.exp(s)).sum(dim=1)'),
]
