"""Graphs as matrices and convolution on a graph, in NumPy (lecture 16).

A graph on N nodes is its adjacency matrix A (N, N): A[i, j] = 1 (or a positive weight)
when nodes i and j are joined, symmetric for an undirected graph. With the degrees
d_i = sum_j A[i, j] and D = diag(d)::

    L     = D - A                                  (the graph Laplacian)
    L_sym = I - D^-1/2 A D^-1/2                    (the normalised Laplacian, eigenvalues in [0, 2])

Spectral view: L = U Lambda U^T; the eigenvectors U are the graph's Fourier basis (small
eigenvalue: a smooth, low-"frequency" signal), and filtering a signal x with g is

    y = U g(Lambda) U^T x                          (``spectral_filter``)

A polynomial g(lambda) = sum_k theta_k T_k(lambda~) in the Chebyshev polynomials T_k of the
rescaled lambda~ = 2 lambda / lambda_max - 1 needs no eigenvectors (Defferrard, Bresson &
Vandergheynst 2016), and mixes only nodes at most K hops apart::

    y = sum_{k=0}^{K} theta_k T_k(L~) x,   L~ = 2 L / lambda_max - I,
    T_0(L~) x = x,  T_1(L~) x = L~ x,  T_k(L~) x = 2 L~ T_{k-1}(L~) x - T_{k-2}(L~) x

Its first-order case with theta_0 = -theta_1 and self-loops added is the layer of Kipf &
Welling (2017)::

    A_hat = D~^-1/2 (A + I) D~^-1/2,   D~ = diag((A + I) 1)      (``normalized_adjacency``)
    H'    = sigma(A_hat H W)                                     (``gcn_layer``)

Everything here is dense NumPy: clear for graphs of a few hundred nodes, not fast for large ones.
"""
from __future__ import annotations

import numpy as np

from .._validation import check_array, check_choice, check_flag, check_real

__all__ = [
    "degree_matrix",
    "laplacian",
    "normalized_adjacency",
    "scaled_laplacian",
    "spectral_filter",
    "chebyshev_filter",
    "gcn_layer",
    "hop_distances",
]


# --------------------------------------------------------------------------- validation
def _square(M, function: str, name: str, what: str) -> np.ndarray:
    """M as a finite float (N, N) array with N >= 1."""
    M = check_array(M, name, function, ndim=2, finite=True, allowed=f"{what} of shape (N, N)")
    if M.shape[0] != M.shape[1] or M.shape[0] == 0:
        raise ValueError(f"{function} expects {name} to be {what} of shape (N, N); got shape {M.shape}.")
    return M


def _symmetric(M, function: str, name: str, what: str) -> np.ndarray:
    """M as a finite, square, symmetric float array."""
    M = _square(M, function, name, what)
    if not np.allclose(M, M.T):
        raise ValueError(f"{function} expects {name} to be symmetric (an undirected graph); "
                         f"{name}[i, j] != {name}[j, i] for some i, j.")
    return M


def _adjacency(A, function: str, name: str = "A") -> np.ndarray:
    """A as a float (N, N) array: square, symmetric, finite and non-negative."""
    A = _symmetric(A, function, name, "a square adjacency matrix")
    if np.any(A < 0):
        raise ValueError(f"{function} expects {name} to hold non-negative edge weights; it holds a negative entry.")
    return A


def _signal(x, n: int, function: str, name: str = "x") -> np.ndarray:
    """x as a float array of shape (N,) or (N, F): one value (or F values) per node."""
    x = check_array(x, name, function, ndim=(1, 2), finite=True,
                    allowed=f"a signal on the nodes of shape ({n},) or ({n}, F)")
    if x.shape[0] != n:
        raise ValueError(f"{function} expects {name} to have one row per node, shape ({n},) or ({n}, F); "
                         f"got shape {x.shape}.")
    return x


def _inverse_sqrt(d: np.ndarray) -> np.ndarray:
    """d^-1/2, with 0 for an isolated node (degree 0) instead of infinity."""
    out = np.zeros_like(d)
    np.divide(1.0, np.sqrt(d), out=out, where=d > 0)
    return out


# --------------------------------------------------------------------------- graph matrices
def degree_matrix(A) -> np.ndarray:
    """D = diag(A 1): the degree of each node on the diagonal. A: (N, N). Returns (N, N)."""
    A = _adjacency(A, "degree_matrix")
    return np.diag(A.sum(axis=1))


def laplacian(A, normalized=False) -> np.ndarray:
    """The graph Laplacian of A (N, N), as an (N, N) array.

    normalized=False: L = D - A (every row sums to 0, x^T L x = sum over edges of
    A_ij (x_i - x_j)^2). normalized=True: L_sym = I - D^-1/2 A D^-1/2, eigenvalues in [0, 2]
    (an isolated node gets a 1 on the diagonal).
    """
    A = _adjacency(A, "laplacian")
    normalized = check_flag(normalized, "normalized", "laplacian")
    d = A.sum(axis=1)                                               # (N,) degrees
    if not normalized:
        return np.diag(d) - A                                       # L = D - A
    s = _inverse_sqrt(d)
    return np.eye(len(A)) - s[:, None] * A * s[None, :]             # I - D^-1/2 A D^-1/2


def normalized_adjacency(A) -> np.ndarray:
    """A_hat = D~^-1/2 (A + I) D~^-1/2 with D~ = diag((A + I) 1) (Kipf & Welling 2017).

    The renormalisation trick: adding self-loops keeps each node's own features, and the
    symmetric scaling keeps the eigenvalues of A_hat in (-1, 1], so stacking layers neither
    explodes nor vanishes. A: (N, N). Returns (N, N), symmetric.
    """
    A = _adjacency(A, "normalized_adjacency")
    A_tilde = A + np.eye(len(A))                                    # A~ = A + I
    s = 1.0 / np.sqrt(A_tilde.sum(axis=1))                          # D~^-1/2, every degree >= 1
    return s[:, None] * A_tilde * s[None, :]                        # D~^-1/2 A~ D~^-1/2


def scaled_laplacian(L, lambda_max=None) -> np.ndarray:
    """L~ = 2 L / lambda_max - I: the Laplacian with its spectrum moved into [-1, 1].

    Chebyshev polynomials are bounded (|T_k| <= 1) on [-1, 1], hence the rescaling.
    L: (N, N) Laplacian; lambda_max: its largest eigenvalue (computed when None; 2 is the
    bound for the normalised Laplacian). Returns (N, N).
    """
    L = _symmetric(L, "scaled_laplacian", "L", "a symmetric Laplacian")
    if lambda_max is None:
        lambda_max = float(np.linalg.eigvalsh(L).max())
    lambda_max = check_real(lambda_max, "lambda_max", "scaled_laplacian", minimum=0, open_minimum=True,
                            allowed="a positive number (the largest eigenvalue of L)")
    return 2.0 * L / lambda_max - np.eye(len(L))


# --------------------------------------------------------------------------- filters
def spectral_filter(L, x, g) -> np.ndarray:
    """y = U g(Lambda) U^T x: filter the signal x in the graph's Fourier basis.

    L: (N, N) symmetric Laplacian with L = U Lambda U^T; x: (N,) or (N, F) signal;
    g: a function of the eigenvalues, mapping an (N,) array to an (N,) array of gains
    (e.g. ``lambda lam: np.exp(-2 * lam)``, a low-pass filter). Returns the shape of x.
    """
    L = _symmetric(L, "spectral_filter", "L", "a symmetric Laplacian")
    x = _signal(x, len(L), "spectral_filter")
    if not callable(g):
        raise TypeError(f"spectral_filter expects g to be a function of the eigenvalues; got {type(g).__name__}.")
    lam, U = np.linalg.eigh(L)                                      # L = U diag(lam) U^T
    x_hat = U.T @ x                                                 # graph Fourier transform
    gains = np.asarray(g(lam), dtype=float).reshape(-1, *([1] * (x.ndim - 1)))
    return U @ (gains * x_hat)                                      # U g(Lambda) U^T x


def chebyshev_filter(L_scaled, x, coefficients) -> np.ndarray:
    """y = sum_k theta_k T_k(L~) x, without eigenvectors (Defferrard et al. 2016).

    L_scaled: (N, N) the rescaled Laplacian L~ (``scaled_laplacian``); x: (N,) or (N, F);
    coefficients: theta_0 .. theta_K, a 1-D sequence of K + 1 numbers. A filter of order K
    mixes only nodes at most K hops apart: T_k(L~) is a polynomial of degree k in L~, and
    (L~^k)[i, j] = 0 whenever i and j are more than k hops apart. Returns the shape of x.
    """
    L_scaled = _square(L_scaled, "chebyshev_filter", "L_scaled", "a square rescaled Laplacian")
    x = _signal(x, len(L_scaled), "chebyshev_filter")
    theta = check_array(coefficients, "coefficients", "chebyshev_filter", ndim=1, finite=True,
                        allowed="a 1-D sequence of K + 1 Chebyshev coefficients")
    if len(theta) == 0:
        raise ValueError("chebyshev_filter expects coefficients to hold at least one number (theta_0); got none.")
    T_prev, T_k = x, L_scaled @ x                                   # T_0(L~) x = x, T_1(L~) x = L~ x
    y = theta[0] * T_prev
    for k in range(1, len(theta)):
        if k >= 2:
            T_prev, T_k = T_k, 2 * L_scaled @ T_k - T_prev          # T_k = 2 L~ T_{k-1} - T_{k-2}
        y = y + theta[k] * T_k
    return y


_ACTIVATIONS = {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh, "identity": lambda z: z}


def gcn_layer(A_hat, H, W, activation="relu") -> np.ndarray:
    """One graph convolutional layer, H' = sigma(A_hat H W) (Kipf & Welling 2017).

    A_hat: (N, N) propagation matrix (``normalized_adjacency``); H: (N, F_in) node features;
    W: (F_in, F_out) weights shared by every node; activation: "relu", "tanh" or "identity".
    Read right to left: each node transforms its features (H W), then takes a weighted
    average over itself and its neighbours (A_hat ...). Returns (N, F_out).
    """
    A_hat = _square(A_hat, "gcn_layer", "A_hat", "a square propagation matrix")
    H = check_array(H, "H", "gcn_layer", ndim=2, finite=True, allowed=f"node features of shape ({len(A_hat)}, F_in)")
    if H.shape[0] != len(A_hat):
        raise ValueError(f"gcn_layer expects H to have one row per node, shape ({len(A_hat)}, F_in); "
                         f"got shape {H.shape}.")
    W = check_array(W, "W", "gcn_layer", ndim=2, finite=True, allowed=f"weights of shape ({H.shape[1]}, F_out)")
    if W.shape[0] != H.shape[1]:
        raise ValueError(f"gcn_layer expects W of shape ({H.shape[1]}, F_out) to match H's {H.shape[1]} features; "
                         f"got shape {W.shape}.")
    if not isinstance(activation, str):
        raise TypeError(f"gcn_layer expects activation to be one of 'relu', 'tanh', 'identity'; "
                        f"got {type(activation).__name__}.")
    check_choice(activation, "activation", "gcn_layer", tuple(_ACTIVATIONS))
    return _ACTIVATIONS[activation](A_hat @ H @ W)                  # sigma(A_hat H W): (N, F_out)


def hop_distances(A) -> np.ndarray:
    """The number of edges on a shortest path between every pair of nodes, (N, N) floats.

    inf where no path exists, 0 on the diagonal. Found by breadth-first search written as
    matrix products: the nodes reached in k steps are the non-zeros of (A + I)^k.
    """
    A = _adjacency(A, "hop_distances")
    reach = np.eye(len(A), dtype=bool)
    distances = np.where(reach, 0.0, np.inf)
    for k in range(1, len(A)):
        reach_next = reach | ((reach.astype(float) @ (A > 0)) > 0)  # one more step along the edges
        if (reach_next == reach).all():
            break
        distances[reach_next & ~reach] = k
        reach = reach_next
    return distances
