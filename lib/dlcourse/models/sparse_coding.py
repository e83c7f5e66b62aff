"""Sparse coding: ISTA for the codes and dictionary learning (lecture 10).

Each example x (d,) is written as a combination of a few atoms, the rows of a dictionary
D (K, d): x ~ h D with a sparse code h (K,). For a batch X (N, d) and codes H (N, K)::

    J(H, D) = 1/N sum_i ( 1/2 ||x_i - h_i D||^2 + lam ||h_i||_1 )       (Olshausen & Field 1996)

ISTA (Daubechies, Defrise & De Mol 2004) minimises J over H with D fixed: a gradient step
on the squared error, then soft-thresholding, the proximal step of the l1 term. Dictionary
learning alternates ISTA on the codes with exact updates of one atom at a time. NumPy only.

- ``soft_threshold``  sign(v) max(|v| - t, 0), elementwise
- ``sparse_coding_objective``  J(H, D) above
- ``ista``  codes for a fixed dictionary, with the objective after every step
- ``learn_dictionary``  atoms and codes by alternating minimisation
"""
from __future__ import annotations

import numpy as np

from .. import config
from .._validation import check_array, check_int, check_real
from ..config import progress as _progress

__all__ = ["soft_threshold", "sparse_coding_objective", "ista", "learn_dictionary"]


def soft_threshold(v, threshold):
    """sign(v) * max(|v| - threshold, 0), elementwise: argmin_h 1/2 (h - v)^2 + threshold |h|.

    v: an array of any shape; threshold >= 0. Returns an array of v's shape.
    """
    threshold = check_real(threshold, "threshold", "soft_threshold", minimum=0)
    return _shrink(check_array(v, "v", "soft_threshold", dtype=None), threshold)


def _shrink(v, threshold):
    return np.sign(v) * np.maximum(np.abs(v) - threshold, 0.0)


def sparse_coding_objective(X, D, H, lam):
    """J = 1/N sum_i (1/2 ||x_i - h_i D||^2 + lam ||h_i||_1) for X (N, d), D (K, d), H (N, K). Returns a float."""
    return _objective(H @ D - X, H, lam)


def _objective(residual, H, lam):
    return float((0.5 * np.sum(residual ** 2) + lam * np.sum(np.abs(H))) / len(H))


def ista(X, D, lam, steps=100, H=None):
    """Sparse codes of X (N, d) in the dictionary D (K, d) by ISTA (Daubechies et al. 2004).

    With L = ||D||_2^2 (the largest eigenvalue of D D^T, the Lipschitz constant of the
    gradient of the squared error), each step is

        H <- soft_threshold(H - (H D - X) D^T / L, lam / L)

    and never raises the objective. lam > 0 weighs the l1 penalty; steps: number of steps;
    H: optional (N, K) starting codes (a warm start), zeros by default.
    Returns the codes H (N, K) and a list of steps + 1 objective values, the first for the
    starting codes.
    """
    X, D, lam = _check_problem(X, D, lam, "ista")
    steps = check_int(steps, "steps", "ista", minimum=0)
    H = np.zeros((len(X), len(D)), dtype=X.dtype) if H is None else check_array(
        H, "H", "ista", shape=(len(X), len(D)), dtype=X.dtype, allowed=f"an array of shape ({len(X)}, {len(D)})")
    L = np.linalg.norm(D, 2) ** 2                         # largest singular value of D, squared
    objective = []
    for _ in range(steps):
        residual = H @ D - X                              # (N, d)
        objective.append(_objective(residual, H, lam))    # J at the current H, from the residual at hand
        step = H - residual @ D.T / L                     # gradient step on 1/2 ||X - H D||^2: (N, K)
        H = _shrink(step, lam / L)                        # soft threshold: the prox step of lam ||h||_1
    objective.append(sparse_coding_objective(X, D, H, lam))
    return H, objective


def learn_dictionary(X, n_atoms, lam, iterations=30, code_steps=10, seed=0, progress=True):
    """A dictionary D (n_atoms, d) and sparse codes H (N, n_atoms) for X (N, d) by alternating minimisation.

    Starts from n_atoms examples of X drawn at random (by ``dlcourse.rng(seed)``) and scaled to
    unit norm, with zero codes. Each iteration runs ``code_steps`` ISTA steps on H (warm
    started), then one sweep of block-coordinate descent over the atoms (Mairal et al. 2010):
    with A = H^T H (K, K) and B = H^T X (K, d), atom k alone minimises the squared error at

        u_k = d_k + (B_k - A_k D) / A_kk,   then  d_k = u_k / max(||u_k||, 1)

    (the bound ||d_k|| <= 1 stops the l1 penalty from shrinking the codes while the atoms
    grow; an unused atom, A_kk = 0, stays as it is). Each half-step minimises or majorise-
    minimises J, so the objective never rises. Returns D, H and a list with the objective at
    the start and after every half-step (2 * iterations + 1 values).
    """
    X, _, lam = _check_problem(X, np.zeros((1, np.shape(X)[-1])), lam, "learn_dictionary")
    n_atoms = check_int(n_atoms, "n_atoms", "learn_dictionary", minimum=1)
    iterations = check_int(iterations, "iterations", "learn_dictionary", minimum=1)
    code_steps = check_int(code_steps, "code_steps", "learn_dictionary", minimum=1)
    rng = config.rng(check_int(seed, "seed", "learn_dictionary", minimum=0))
    D = X[rng.choice(len(X), size=n_atoms, replace=len(X) < n_atoms)]
    D = D / np.maximum(np.linalg.norm(D, axis=1, keepdims=True), 1e-12)  # (K, d), unit atoms
    H = np.zeros((len(X), n_atoms), dtype=X.dtype)
    objective = [sparse_coding_objective(X, D, H, lam)]
    for _ in _progress(range(iterations), desc="iterations", disable=not progress):
        H, steps = ista(X, D, lam, code_steps, H)                        # codes, dictionary fixed
        objective.append(steps[-1])
        A, B = H.T @ H, H.T @ X                                          # (K, K), (K, d)
        for k in np.flatnonzero(np.diag(A) > 0):                         # atoms, codes fixed
            u = D[k] + (B[k] - A[k] @ D) / A[k, k]
            D[k] = u / max(np.linalg.norm(u), 1.0)                       # project onto ||d_k|| <= 1
        objective.append(sparse_coding_objective(X, D, H, lam))
    return D, H, objective


def _check_problem(X, D, lam, function):
    X = check_array(X, "X", function, ndim=2, dtype=None, allowed="an array of shape (N, d), one example per row")
    X = X if X.dtype in (np.float32, np.float64) else X.astype(np.float64)  # float32 stays: half the cost
    D = check_array(D, "D", function, ndim=2, dtype=X.dtype, allowed="an array of shape (K, d), one atom per row")
    if D.shape[1] != X.shape[1]:
        raise ValueError(f"{function} expects atoms as long as the examples: X has {X.shape[1]} columns, "
                         f"D has {D.shape[1]}.")
    lam = check_real(lam, "lam", function, minimum=0, open_minimum=True, allowed="a positive l1 weight")
    return X, D, lam
