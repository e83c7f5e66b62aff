"""Multiplies by exp(s) instead of exp(-s) when undoing the scale."""
FUNCTION = "coupling_inverse"
EDITS = [
    ('    return y * mask + (1 - mask) * (y - t) * torch.exp(-s)  # undo the shift, then the scale',
     '    return y * mask + (1 - mask) * (y - t) * torch.exp(s)'),
]
