"""Measures J_t with np.linalg.norm's default, the Frobenius norm, instead of the spectral norm (ord=2)."""
import numpy as np


def state_jacobian_norms(hs, W_hh):
    """Largest singular values of the Jacobians dh_t/dh_0 along one sequence."""
    jacobian = np.eye(W_hh.shape[0])
    norms = np.empty(len(hs))
    for k, h in enumerate(hs):
        jacobian = ((1.0 - h**2)[:, None] * W_hh) @ jacobian
        norms[k] = np.linalg.norm(jacobian)
    return norms
