"""Takes the degrees of A, before the self-loops are added, so every degree is one too small."""
FUNCTION = "normalized_adjacency"
EDITS = [
    ('    inverse_sqrt_degree = A_tilde.sum(dim=1).rsqrt()  # d~_i >= 1, so no division by zero',
     '    inverse_sqrt_degree = A.sum(dim=1).rsqrt()'),
]
