"""Multiplies the other way round, F^T F: an (M, M) matrix comparing positions, not the (N, N) Gram matrix of channels."""
FUNCTION = "gram_matrix"
EDITS = [
    ("    return F @ F.T  # G_ij = sum_k F_ik F_jk",
     "    return F.T @ F"),
]
