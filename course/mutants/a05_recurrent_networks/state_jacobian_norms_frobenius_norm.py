"""Measures J_t with np.linalg.norm's default, the Frobenius norm, instead of the spectral norm (ord=2)."""
FUNCTION = "state_jacobian_norms"
EDITS = [
    ("        norms[k] = np.linalg.norm(jacobian, ord=2)  # the largest singular value",
     "        norms[k] = np.linalg.norm(jacobian)"),
]
