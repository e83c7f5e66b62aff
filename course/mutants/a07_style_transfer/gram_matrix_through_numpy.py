"""Computes the product in NumPy and converts back: right values, but no gradient reaches the features."""
FUNCTION = "gram_matrix"
EDITS = [
    ("    F = features.reshape(channels, -1)  # (N_l, M_l): one row per channel, one column per position",
     "    F = features.detach().numpy().reshape(channels, -1)"),
    ("    return F @ F.T  # G_ij = sum_k F_ik F_jk",
     "    return torch.from_numpy(F @ F.T)"),
]
