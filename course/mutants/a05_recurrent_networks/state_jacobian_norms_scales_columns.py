"""Scales the columns of W_hh by 1 - h_t^2 (W_hh diag(1 - h_t^2)) instead of its rows (diag(1 - h_t^2) W_hh)."""
import numpy as np


def state_jacobian_norms(hs, W_hh):
    """Largest singular values of the Jacobians dh_t/dh_0 along one sequence."""
    jacobian = np.eye(W_hh.shape[0])
    norms = np.empty(len(hs))
    for k, h in enumerate(hs):
        jacobian = (W_hh * (1.0 - h**2)) @ jacobian
        norms[k] = np.linalg.norm(jacobian, ord=2)
    return norms
