"""Uses tanh as the nonlinearity instead of the ReLU."""
FUNCTION = "gcn_layer"
EDITS = [
    ('    return torch.relu(out) if relu else out',
     '    return torch.tanh(out) if relu else out'),
]
