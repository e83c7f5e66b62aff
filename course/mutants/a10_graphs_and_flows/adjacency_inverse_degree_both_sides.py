"""Scales by D~^-1 on both sides instead of D~^-1/2."""
FUNCTION = "normalized_adjacency"
EDITS = [
    ('    inverse_sqrt_degree = A_tilde.sum(dim=1).rsqrt()  # d~_i >= 1, so no division by zero',
     '    inverse_sqrt_degree = 1 / A_tilde.sum(dim=1)'),
]
