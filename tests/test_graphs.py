"""dlcourse.nn.graphs: the graph matrices, spectral and Chebyshev filters, the GCN layer in NumPy."""
import numpy as np
import pytest

from dlcourse.nn.graphs import (chebyshev_filter, degree_matrix, gcn_layer, hop_distances, laplacian,
                                normalized_adjacency, scaled_laplacian, spectral_filter)

PATH3 = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float)  # 0 - 1 - 2


def _random_graph(n=12, p=0.3, seed=0):
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.random((n, n)) < p, 1)
    return (upper | upper.T).astype(float)


def test_normalized_adjacency_of_a_path_of_three_nodes_matches_the_hand_computation():
    # A + I has row sums 2, 3, 2; entry (i, j) is 1 / sqrt(d_i d_j)
    s2, s3 = 1 / np.sqrt(2), 1 / np.sqrt(3)
    expected = np.array([[s2 * s2, s2 * s3, 0], [s3 * s2, s3 * s3, s3 * s2], [0, s2 * s3, s2 * s2]])
    np.testing.assert_allclose(normalized_adjacency(PATH3), expected, atol=1e-15)


def test_normalized_adjacency_is_symmetric_with_eigenvalues_in_minus_one_to_one():
    for seed in range(5):
        A_hat = normalized_adjacency(_random_graph(seed=seed))
        np.testing.assert_allclose(A_hat, A_hat.T, atol=1e-15)
        eigenvalues = np.linalg.eigvalsh(A_hat)
        assert eigenvalues.min() > -1 and eigenvalues.max() <= 1 + 1e-12
        assert np.isclose(eigenvalues.max(), 1.0)  # the eigenvector D~^1/2 1 has eigenvalue exactly 1


def test_laplacian_rows_sum_to_zero_and_degree_matrix_is_the_row_sums():
    A = _random_graph()
    np.testing.assert_allclose(laplacian(A).sum(axis=1), 0, atol=1e-12)
    np.testing.assert_array_equal(degree_matrix(A), np.diag(A.sum(axis=1)))
    np.testing.assert_array_equal(laplacian(PATH3), [[1, -1, 0], [-1, 2, -1], [0, -1, 1]])


def test_laplacian_quadratic_form_sums_squared_differences_over_edges():
    A, x = _random_graph(), np.random.default_rng(1).normal(size=12)
    i, j = np.nonzero(np.triu(A))
    assert np.isclose(x @ laplacian(A) @ x, np.sum((x[i] - x[j]) ** 2))


def test_normalized_laplacian_has_eigenvalues_in_zero_to_two_and_matches_the_formula():
    A = _random_graph(seed=2)
    L_sym = laplacian(A, normalized=True)
    eigenvalues = np.linalg.eigvalsh(L_sym)
    assert eigenvalues.min() > -1e-12 and eigenvalues.max() <= 2 + 1e-12
    d = A.sum(axis=1)
    np.testing.assert_allclose(L_sym, np.eye(12) - A / np.sqrt(np.outer(d, d)), atol=1e-15)


def test_spectral_filter_with_unit_gain_returns_the_signal_and_with_lambda_applies_L():
    A, x = _random_graph(), np.random.default_rng(3).normal(size=(12, 2))
    L = laplacian(A)
    np.testing.assert_allclose(spectral_filter(L, x, np.ones_like), x, atol=1e-12)
    np.testing.assert_allclose(spectral_filter(L, x, lambda lam: lam), L @ x, atol=1e-12)


def test_chebyshev_filter_equals_the_spectral_filter_of_the_same_polynomial():
    A, x = _random_graph(seed=4), np.random.default_rng(4).normal(size=12)
    L = laplacian(A, normalized=True)
    lambda_max = np.linalg.eigvalsh(L).max()
    theta = np.array([0.5, -1.0, 0.25, 2.0])
    g = lambda lam: np.polynomial.chebyshev.chebval(2 * lam / lambda_max - 1, theta)  # noqa: E731
    np.testing.assert_allclose(chebyshev_filter(scaled_laplacian(L, lambda_max), x, theta),
                               spectral_filter(L, x, g), atol=1e-10)


@pytest.mark.parametrize("K", [0, 1, 2, 3])
def test_chebyshev_filter_of_order_K_reaches_exactly_K_hops(K):
    A = np.zeros((10, 10))
    for i in range(9):  # a path 0 - 1 - ... - 9: node j is j hops from node 0
        A[i, i + 1] = A[i + 1, i] = 1
    impulse = np.eye(10)[0]
    response = chebyshev_filter(scaled_laplacian(laplacian(A, normalized=True), 2.0), impulse, np.ones(K + 1) * 0.7)
    assert np.all(response[K + 1:] == 0.0)
    assert response[K] != 0.0


def test_hop_distances_on_a_path_and_on_two_components():
    np.testing.assert_array_equal(hop_distances(PATH3), [[0, 1, 2], [1, 0, 1], [2, 1, 0]])
    two = np.zeros((4, 4))
    two[0, 1] = two[1, 0] = two[2, 3] = two[3, 2] = 1
    assert hop_distances(two)[0, 2] == np.inf and hop_distances(two)[2, 3] == 1


def test_gcn_layer_is_the_activation_of_A_hat_H_W():
    rng = np.random.default_rng(5)
    A_hat, H, W = normalized_adjacency(_random_graph()), rng.normal(size=(12, 4)), rng.normal(size=(4, 3))
    np.testing.assert_allclose(gcn_layer(A_hat, H, W), np.maximum(A_hat @ H @ W, 0))
    np.testing.assert_allclose(gcn_layer(A_hat, H, W, activation="tanh"), np.tanh(A_hat @ H @ W))
    np.testing.assert_allclose(gcn_layer(A_hat, H, W, activation="identity"), A_hat @ H @ W)


def test_isolated_nodes_keep_finite_values():
    A = np.zeros((3, 3))
    A[0, 1] = A[1, 0] = 1
    assert np.all(np.isfinite(laplacian(A, normalized=True)))
    np.testing.assert_allclose(normalized_adjacency(A)[2], [0, 0, 1])


@pytest.mark.parametrize("function", [normalized_adjacency, laplacian, degree_matrix, hop_distances])
def test_adjacency_arguments_follow_the_validation_rule(function):
    with pytest.raises(TypeError, match="A"):
        function("not a matrix")
    with pytest.raises(ValueError, match="square"):
        function(np.ones((2, 3)))
    with pytest.raises(ValueError, match="symmetric"):
        function(np.array([[0.0, 1.0], [0.0, 0.0]]))
    with pytest.raises(ValueError, match="non-negative"):
        function(np.array([[0.0, -1.0], [-1.0, 0.0]]))


def test_filter_and_layer_arguments_follow_the_validation_rule():
    L = laplacian(PATH3)
    with pytest.raises(ValueError, match="one row per node"):
        chebyshev_filter(L, np.ones(4), [1.0])
    with pytest.raises(ValueError, match="at least one"):
        chebyshev_filter(L, np.ones(3), [])
    with pytest.raises(TypeError, match="g"):
        spectral_filter(L, np.ones(3), "low-pass")
    with pytest.raises(TypeError, match="normalized"):
        laplacian(PATH3, normalized="yes")
    with pytest.raises(ValueError, match="lambda_max"):
        scaled_laplacian(L, 0.0)
    with pytest.raises(ValueError, match="W of shape"):
        gcn_layer(normalized_adjacency(PATH3), np.ones((3, 2)), np.ones((3, 2)))
    with pytest.raises(ValueError, match="activation"):
        gcn_layer(normalized_adjacency(PATH3), np.ones((3, 2)), np.ones((2, 2)), activation="sigmoid")
    with pytest.raises(TypeError, match="activation"):
        gcn_layer(normalized_adjacency(PATH3), np.ones((3, 2)), np.ones((2, 2)), activation=np.tanh)
