"""Undoes the scale before the shift, y exp(-s) - t."""
FUNCTION = "coupling_inverse"
EDITS = [
    ('    return y * mask + (1 - mask) * (y - t) * torch.exp(-s)  # undo the shift, then the scale',
     '    return y * mask + (1 - mask) * (y * torch.exp(-s) - t)'),
]
