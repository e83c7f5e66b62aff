"""Scales and shifts every coordinate, the kept ones too."""
FUNCTION = "coupling_forward"
EDITS = [
    ('    y = x * mask + (1 - mask) * (x * torch.exp(s) + t)  # y_1 = x_1, y_2 = x_2 exp(s) + t',
     '    y = x * torch.exp(s) + t'),
]
