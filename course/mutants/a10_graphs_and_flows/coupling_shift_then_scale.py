"""Shifts before scaling, (x + t) exp(s), which is not the layer whose inverse B2 describes."""
FUNCTION = "coupling_forward"
EDITS = [
    ('    y = x * mask + (1 - mask) * (x * torch.exp(s) + t)  # y_1 = x_1, y_2 = x_2 exp(s) + t',
     '    y = x * mask + (1 - mask) * (x + t) * torch.exp(s)'),
]
