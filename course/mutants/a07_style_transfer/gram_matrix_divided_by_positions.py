"""Normalises the Gram matrix by the number of positions M (a common variant), where this one is F F^T unnormalised."""
FUNCTION = "gram_matrix"
EDITS = [
    ("    return F @ F.T  # G_ij = sum_k F_ik F_jk",
     "    return F @ F.T / F.shape[1]"),
]
