"""Sums s over every coordinate, including the kept ones the layer does not change."""
FUNCTION = "coupling_forward"
EDITS = [
    ("    log_det = ((1 - mask) * s).sum(dim=1)  # a triangular Jacobian: the sum of the changed coordinates' s",
     '    log_det = s.sum(dim=1)'),
]
