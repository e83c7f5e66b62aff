"""Leaves out the self-loops: D^-1/2 A D^-1/2, which divides by zero at an isolated node and drops each node's own features."""
FUNCTION = "normalized_adjacency"
EDITS = [
    ('    A_tilde = A + torch.eye(len(A), dtype=A.dtype)  # self-loops: a node keeps its own features',
     '    A_tilde = A'),
]
