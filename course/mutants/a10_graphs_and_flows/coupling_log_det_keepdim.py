"""Returns the log-determinant as an (N, 1) column instead of an (N,) vector."""
FUNCTION = "coupling_forward"
EDITS = [
    ("    log_det = ((1 - mask) * s).sum(dim=1)  # a triangular Jacobian: the sum of the changed coordinates' s",
     '    log_det = ((1 - mask) * s).sum(dim=1, keepdim=True)'),
]
