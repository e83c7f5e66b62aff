"""Multiplies by W_hh alone at every step, forgetting the factor diag(1 - h_t^2) of the tanh."""
import numpy as np


def state_jacobian_norms(hs, W_hh):
    """Largest singular values of the Jacobians dh_t/dh_0 along one sequence."""
    jacobian = np.eye(W_hh.shape[0])
    norms = np.empty(len(hs))
    for k in range(len(hs)):
        jacobian = W_hh @ jacobian
        norms[k] = np.linalg.norm(jacobian, ord=2)
    return norms
