"""Undoes the affine step on every coordinate, the kept ones too."""
FUNCTION = "coupling_inverse"
EDITS = [
    ('    return y * mask + (1 - mask) * (y - t) * torch.exp(-s)  # undo the shift, then the scale',
     '    return (y - t) * torch.exp(-s)'),
]
