"""Normalises A by its own degrees and adds I afterwards: D^-1/2 A D^-1/2 + I."""
FUNCTION = "normalized_adjacency"
EDITS = [
    ('    inverse_sqrt_degree = A_tilde.sum(dim=1).rsqrt()  # d~_i >= 1, so no division by zero',
     '    inverse_sqrt_degree = A.sum(dim=1).clamp(min=1).rsqrt()'),
    ('    return inverse_sqrt_degree[:, None] * A_tilde * inverse_sqrt_degree[None, :]  # D~^-1/2 A~ D~^-1/2',
     '    return inverse_sqrt_degree[:, None] * A * inverse_sqrt_degree[None, :] + torch.eye(len(A), dtype=A.dtype)'),
]
