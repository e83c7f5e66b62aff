"""Multiplies each new step Jacobian on the right, J_t = J_(t-1) diag(1 - h_t^2) W_hh, so the chain runs backwards."""
import numpy as np


def state_jacobian_norms(hs, W_hh):
    """Largest singular values of the Jacobians dh_t/dh_0 along one sequence."""
    jacobian = np.eye(W_hh.shape[0])
    norms = np.empty(len(hs))
    for k, h in enumerate(hs):
        jacobian = jacobian @ ((1.0 - h**2)[:, None] * W_hh)
        norms[k] = np.linalg.norm(jacobian, ord=2)
    return norms
