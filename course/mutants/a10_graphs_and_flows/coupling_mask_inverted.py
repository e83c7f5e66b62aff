"""Reads the mask the wrong way round: it keeps the coordinates marked 0 and changes those marked 1."""
FUNCTION = "coupling_forward"
EDITS = [
    ('    s, t = net(x * mask)  # the network sees the kept coordinates only',
     '    s, t = net(x * (1 - mask))'),
    ('    y = x * mask + (1 - mask) * (x * torch.exp(s) + t)  # y_1 = x_1, y_2 = x_2 exp(s) + t',
     '    y = x * (1 - mask) + mask * (x * torch.exp(s) + t)'),
    ("    log_det = ((1 - mask) * s).sum(dim=1)  # a triangular Jacobian: the sum of the changed coordinates' s",
     '    log_det = (mask * s).sum(dim=1)'),
]
