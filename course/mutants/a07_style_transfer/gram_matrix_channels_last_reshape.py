"""Flattens with reshape(-1, C), as if channels came last: the rows mix channels and positions."""
FUNCTION = "gram_matrix"
EDITS = [
    ("    F = features.reshape(channels, -1)  # (N_l, M_l): one row per channel, one column per position",
     "    F = features.reshape(-1, channels)  # (M, C), but the memory holds channel after channel"),
    ("    return F @ F.T  # G_ij = sum_k F_ik F_jk",
     "    return F.T @ F"),
]
