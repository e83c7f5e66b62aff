"""Normalises on one side only, D~^-1 (A + I): a row average, not symmetric."""
FUNCTION = "normalized_adjacency"
EDITS = [
    ('    return inverse_sqrt_degree[:, None] * A_tilde * inverse_sqrt_degree[None, :]  # D~^-1/2 A~ D~^-1/2',
     '    return A_tilde / A_tilde.sum(dim=1)[:, None]'),
]
