"""Ignores the relu argument and always applies the ReLU, so a last layer cannot return negative logits."""
FUNCTION = "gcn_layer"
EDITS = [
    ('    return torch.relu(out) if relu else out',
     '    return torch.relu(out)'),
]
