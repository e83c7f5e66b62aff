"""Adds the self-loops into A in place, so the caller's adjacency matrix changes."""
FUNCTION = "normalized_adjacency"
EDITS = [
    ('    A_tilde = A + torch.eye(len(A), dtype=A.dtype)  # self-loops: a node keeps its own features',
     '    A_tilde = A\n'
     '    A_tilde += torch.eye(len(A), dtype=A.dtype)'),
]
