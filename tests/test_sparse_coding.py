"""Lecture 10's sparse coding: dlcourse.models.sparse_coding (soft-thresholding, ISTA, dictionary learning)."""
import numpy as np
import pytest
from sklearn.linear_model import Lasso

from dlcourse.models.sparse_coding import ista, learn_dictionary, soft_threshold, sparse_coding_objective


def _orthonormal_dictionary(d=6, seed=0):
    Q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(d, d)))
    return Q.T  # rows: atoms, orthonormal


def test_soft_threshold_shrinks_towards_zero_and_zeroes_the_small_values():
    v = np.array([-3.0, -0.5, 0.0, 0.2, 1.0, 2.5])
    assert np.allclose(soft_threshold(v, 1.0), [-2.0, 0.0, 0.0, 0.0, 0.0, 1.5])
    assert np.array_equal(soft_threshold(v, 0.0), v)


def test_soft_threshold_minimises_the_scalar_lasso_problem():
    grid = np.linspace(-5, 5, 200001)
    for v in (-2.3, -0.4, 0.0, 0.7, 3.1):
        best = grid[np.argmin(0.5 * (grid - v) ** 2 + 0.8 * np.abs(grid))]
        assert abs(soft_threshold(np.array(v), 0.8) - best) < 1e-4


def test_ista_with_an_orthonormal_dictionary_gives_soft_thresholded_correlations():
    D = _orthonormal_dictionary()
    X = np.random.default_rng(1).normal(size=(20, 6))
    H, objective = ista(X, D, lam=0.5, steps=30)
    assert np.allclose(H, soft_threshold(X @ D.T, 0.5), atol=1e-12)  # the closed-form solution
    assert len(objective) == 31
    assert objective[-1] == pytest.approx(sparse_coding_objective(X, D, H, 0.5))


def test_ista_never_raises_the_objective_and_gives_sparse_codes():
    rng = np.random.default_rng(2)
    D = rng.normal(size=(30, 10))                              # overcomplete: 30 atoms in 10 dimensions
    D /= np.linalg.norm(D, axis=1, keepdims=True)
    X = rng.normal(size=(50, 10))
    H, objective = ista(X, D, lam=0.3, steps=300)
    assert np.all(np.diff(objective) <= 1e-12 * objective[0])
    assert np.mean(H == 0) > 0.5


def test_ista_converges_to_the_lasso_solution_of_scikit_learn():
    rng = np.random.default_rng(3)
    D = rng.normal(size=(12, 8))
    D /= np.linalg.norm(D, axis=1, keepdims=True)
    x = rng.normal(size=(1, 8))
    H, _ = ista(x, D, lam=0.1, steps=20000)
    # scikit-learn's Lasso minimises 1/(2 n) ||y - A w||^2 + alpha ||w||_1 over n = 8 rows of A = D^T
    lasso = Lasso(alpha=0.1 / 8, fit_intercept=False, tol=1e-12, max_iter=100000).fit(D.T, x[0])
    assert np.allclose(H[0], lasso.coef_, atol=1e-5)


def test_ista_warm_start_continues_where_it_stopped():
    rng = np.random.default_rng(4)
    D, X = rng.normal(size=(9, 5)), rng.normal(size=(7, 5))
    H_once, _ = ista(X, D, 0.2, steps=40)
    H_half, _ = ista(X, D, 0.2, steps=20)
    H_twice, _ = ista(X, D, 0.2, steps=20, H=H_half)
    assert np.allclose(H_once, H_twice)


def test_learn_dictionary_lowers_the_objective_at_every_half_step_and_keeps_atoms_in_the_unit_ball():
    rng = np.random.default_rng(5)
    atoms = rng.normal(size=(8, 16))
    codes = rng.normal(size=(300, 8)) * (rng.random((300, 8)) < 0.2)   # each example uses ~1.6 atoms
    X = codes @ atoms + 0.01 * rng.normal(size=(300, 16))
    D, H, objective = learn_dictionary(X, 8, lam=0.1, iterations=40, code_steps=10, progress=False)
    assert D.shape == (8, 16) and H.shape == (300, 8) and len(objective) == 81
    assert np.all(np.diff(objective) <= 1e-9 * objective[0])
    assert objective[-1] < 0.2 * objective[0]
    assert np.all(np.linalg.norm(D, axis=1) <= 1 + 1e-9)
    assert objective[-1] == pytest.approx(sparse_coding_objective(X, D, H, 0.1))


def test_learn_dictionary_keeps_float32_data_in_float32():
    X = np.random.default_rng(6).normal(size=(40, 4)).astype(np.float32)
    D, H, _ = learn_dictionary(X, 3, lam=0.1, iterations=2, progress=False)
    assert D.dtype == np.float32 and H.dtype == np.float32


@pytest.mark.parametrize("call, error, message", [
    (lambda: ista(np.zeros((3, 4)), np.zeros((5, 3)), 0.1), ValueError, "atoms as long as the examples"),
    (lambda: ista(np.zeros((3, 4)), np.zeros((5, 4)), 0.0), ValueError, "lam to be a positive l1 weight"),
    (lambda: ista(np.zeros(4), np.zeros((5, 4)), 0.1), ValueError, r"X to be an array of shape \(N, d\)"),
    (lambda: ista(np.zeros((3, 4)), np.ones((5, 4)), 0.1, H=np.zeros((3, 4))), ValueError,
     r"H to be an array of shape \(3, 5\)"),
    (lambda: ista(np.zeros((3, 4)), np.ones((5, 4)), 0.1, steps=2.5), TypeError, "steps to be a non-negative integer"),
    (lambda: learn_dictionary(np.zeros((3, 4)), 0, 0.1), ValueError, "n_atoms to be a positive integer"),
    (lambda: soft_threshold(np.zeros(3), -1.0), ValueError, "threshold to be a non-negative number"),
    (lambda: soft_threshold("abc", 1.0), TypeError, "v to be a NumPy array of numbers"),
])
def test_sparse_coding_rejects_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()
