"""Behaviour of dlcourse.nn.Perceptron: the Rosenblatt rule, convergence and its limits."""
import numpy as np
import pytest

from dlcourse.nn import Perceptron

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


def separable_data(n=200, margin=0.2, seed=0):
    """Points in [-1, 1]^2 at least `margin` away from the line x1 + 2 x2 = 0.3, labelled by its side.

    Returns X (n, 2), y (n,) and the separator (w_star, b_star) scaled to unit length.
    """
    rng = np.random.default_rng(seed)
    w_star, b_star = np.array([1.0, 2.0]), -0.3
    X = np.empty((0, 2))
    while len(X) < n:
        candidates = rng.uniform(-1, 1, size=(4 * n, 2))
        distance = (candidates @ w_star + b_star) / np.linalg.norm(w_star)
        X = np.vstack([X, candidates[np.abs(distance) >= margin]])
    X = X[:n]
    y = (X @ w_star + b_star > 0).astype(np.int64)
    scale = np.linalg.norm(np.append(w_star, b_star))
    return X, y, (w_star / scale, b_star / scale)


def noisy_xor(n=200, seed=0):
    """Four Gaussian clusters at the corners of the unit square, labelled by XOR of the corner."""
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 2, size=(n, 2))
    X = corners + rng.normal(0.0, 0.1, size=(n, 2))
    return X, (corners[:, 0] ^ corners[:, 1]).astype(np.int64)


# ------------------------------------------------------------------ construction
def test_zero_init_without_seed_and_small_random_init_with_seed():
    p = Perceptron(3)
    assert p.w.shape == (3,) and np.all(p.w == 0) and p.b == 0.0
    q = Perceptron(3, seed=1)
    assert q.w.shape == (3,) and np.all(q.w != 0) and np.all(np.abs(q.w) < 0.1)
    assert isinstance(q.b, float)
    assert np.array_equal(q.w, Perceptron(3, seed=1).w)


# ------------------------------------------------------------------ forward pass
def test_net_input_is_weighted_sum_plus_bias():
    p = Perceptron(2)
    p.w, p.b = np.array([2.0, -1.0]), 0.5
    X = np.array([[1.0, 1.0], [0.0, 3.0]])
    np.testing.assert_allclose(p.net_input(X), [1.5, -2.5])
    assert p.net_input(np.array([1.0, 1.0])) == pytest.approx(1.5)


def test_step_at_zero_net_input_predicts_one():
    p = Perceptron(2)
    p.w, p.b = np.array([1.0, -1.0]), 0.0
    X = np.array([[1.0, 1.0], [1.0, 2.0], [2.0, 1.0]])  # z = 0, -1, +1
    assert p.predict(X).tolist() == [1, 0, 1]
    assert p.predict(X).dtype == np.int64
    assert Perceptron(2).predict(np.zeros((4, 2))).tolist() == [1, 1, 1, 1]


def test_predict_accepts_a_single_example():
    p = Perceptron(2)
    p.w, p.b = np.array([1.0, 1.0]), -1.5
    assert p.predict(np.array([1.0, 1.0])) == 1
    assert p.predict([0.0, 1.0]) == 0
    assert np.ndim(p.predict([0.0, 1.0])) == 0


# ------------------------------------------------------------------ learning rule
def test_update_moves_weights_exactly_as_the_rosenblatt_rule_says():
    p = Perceptron(3, lr=0.5)
    p.w, p.b = np.array([0.2, -0.4, 0.1]), -1.0
    x = np.array([1.0, 2.0, -3.0])  # z = 0.2 - 0.8 - 0.3 - 1.0 = -1.9: predicts 0
    assert p.update(x, 1) == 1
    np.testing.assert_allclose(p.w, [0.2 + 0.5, -0.4 + 1.0, 0.1 - 1.5])  # w + lr (1 - 0) x
    assert p.b == pytest.approx(-1.0 + 0.5)
    # now z = 0.7 + 1.2 + 4.8 - 0.5 = 6.2: predicts 1, label 0, so the rule subtracts lr x
    assert p.update(x, 0) == 1
    np.testing.assert_allclose(p.w, [0.2, -0.4, 0.1])
    assert p.b == pytest.approx(-1.0)


def test_update_on_a_correct_prediction_changes_nothing():
    p = Perceptron(2)
    p.w, p.b = np.array([1.0, 1.0]), 0.0
    assert p.update(np.array([1.0, 1.0]), 1) == 0
    np.testing.assert_array_equal(p.w, [1.0, 1.0])
    assert p.b == 0.0


# ------------------------------------------------------------------ convergence and its limits
def test_converges_on_linearly_separable_data():
    X, y, _ = separable_data()
    p = Perceptron(2)
    mistakes = p.fit(X, y, epochs=100)
    assert p.converged
    assert p.epochs_run == len(mistakes) < 100
    assert mistakes[-1] == 0 and all(m > 0 for m in mistakes[:-1])
    np.testing.assert_array_equal(p.predict(X), y)


def test_learns_the_and_gate_and_stops_after_the_first_clean_epoch():
    X = XOR_X
    y = np.array([0, 0, 0, 1])
    p = Perceptron(2)
    mistakes = p.fit(X, y, epochs=50, shuffle=False)
    assert p.converged and mistakes[-1] == 0 and mistakes.count(0) == 1
    assert p.predict(X).tolist() == [0, 0, 0, 1]


@pytest.mark.parametrize("seed", [None, 0, 1])
def test_never_converges_on_xor(seed):
    p = Perceptron(2, seed=seed)
    mistakes = p.fit(XOR_X, XOR_Y, epochs=200)
    assert not p.converged
    assert p.epochs_run == 200 and len(mistakes) == 200
    assert min(mistakes) > 0
    assert np.mean(p.predict(XOR_X) == XOR_Y) < 1.0


def test_never_converges_on_noisy_xor():
    X, y = noisy_xor()
    p = Perceptron(2)
    mistakes = p.fit(X, y, epochs=50)
    assert not p.converged and min(mistakes) > 0


def test_mistakes_respect_the_novikoff_bound():
    # Novikoff (1962): from w = 0, b = 0 the rule makes at most (R / gamma)^2 mistakes in total,
    # R = max |(x, 1)| and gamma the margin of any unit-length separator (w*, b*) in that space.
    X, y, (w_star, b_star) = separable_data(n=300, margin=0.25, seed=3)
    X_aug = np.hstack([X, np.ones((len(X), 1))])  # the bias is the weight of a constant input
    R = np.max(np.linalg.norm(X_aug, axis=1))
    gamma = np.min((2 * y - 1) * (X @ w_star + b_star))
    assert gamma > 0
    bound = (R / gamma) ** 2
    for lr in (1.0, 0.1):
        for seed in (0, 1, 2):
            p = Perceptron(2, lr=lr)
            mistakes = p.fit(X, y, epochs=1000, seed=seed)
            assert p.converged
            assert sum(mistakes) <= bound, f"{sum(mistakes)} mistakes exceed the bound {bound:.1f}"


def test_learning_rate_only_rescales_weights_from_zero_init():
    X, y, _ = separable_data(seed=5)
    p1, p2 = Perceptron(2, lr=1.0), Perceptron(2, lr=0.01)
    assert p1.fit(X, y, seed=4) == p2.fit(X, y, seed=4)
    np.testing.assert_allclose(p2.w, 0.01 * p1.w)
    assert p2.b == pytest.approx(0.01 * p1.b)


def test_fit_is_deterministic_given_seeds():
    X, y = noisy_xor(seed=2)
    runs = []
    for _ in range(2):
        p = Perceptron(2, seed=7)
        runs.append((p.fit(X, y, epochs=20, seed=3), p.w.copy(), p.b))
    assert runs[0][0] == runs[1][0]
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    assert runs[0][2] == runs[1][2]
    other = Perceptron(2, seed=7)
    assert other.fit(X, y, epochs=20, seed=4) != runs[0][0]


def test_fit_without_shuffle_visits_examples_in_order():
    X, y, _ = separable_data(n=50)
    p, q = Perceptron(2), Perceptron(2)
    assert p.fit(X, y, shuffle=False, seed=0) == q.fit(X, y, shuffle=False, seed=123)
    np.testing.assert_array_equal(p.w, q.w)


# ------------------------------------------------------------------ validation messages
def test_rejects_X_with_the_wrong_number_of_features():
    p = Perceptron(2)
    with pytest.raises(ValueError, match=r"Perceptron expects X of shape \(n, 2\); got shape \(5, 3\)\."):
        p.fit(np.zeros((5, 3)), np.zeros(5, dtype=int))
    with pytest.raises(ValueError, match=r"expects X of shape \(n, 2\) or one example of shape \(2,\); got shape \(5, 3\)"):
        p.predict(np.zeros((5, 3)))


def test_rejects_X_that_is_not_2d():
    p = Perceptron(2)
    with pytest.raises(ValueError, match=r"expects X of shape \(n, 2\); got shape \(4,\)"):
        p.fit(np.zeros(4), np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match=r"got shape \(2, 2, 2\)"):
        p.net_input(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match=r"X\.reshape\(-1, 1\)"):
        Perceptron(1).predict(np.zeros(5))


def test_rejects_non_finite_X():
    with pytest.raises(ValueError, match="finite values in X"):
        Perceptron(2).predict(np.array([[0.0, np.nan]]))


def test_rejects_labels_outside_zero_one():
    with pytest.raises(ValueError, match=r"expects labels y in \{0, 1\}; got values \{-1, 1\}"):
        Perceptron(2).fit(XOR_X, np.array([-1, 1, 1, -1]))
    with pytest.raises(ValueError, match=r"label y of 0 or 1; got -1"):
        Perceptron(2).update(np.zeros(2), -1)


def test_rejects_a_label_count_that_does_not_match_X():
    with pytest.raises(ValueError, match=r"one label per row of X, y of shape \(4,\); got shape \(3,\)"):
        Perceptron(2).fit(XOR_X, np.array([0, 1, 1]))


def test_fit_rejects_an_empty_data_set():
    with pytest.raises(ValueError, match=r"at least one example; got X of shape \(0, 2\)"):
        Perceptron(2).fit(np.zeros((0, 2)), np.zeros(0, dtype=int))


@pytest.mark.parametrize("epochs", [0, -3])
def test_rejects_non_positive_epochs_with_a_value_error(epochs):
    with pytest.raises(ValueError, match=rf"^Perceptron.fit expects epochs to be a positive integer; got {epochs}\.$"):
        Perceptron(2).fit(XOR_X, XOR_Y, epochs=epochs)


@pytest.mark.parametrize("epochs", [2.5, "10"])
def test_refuses_a_fractional_or_string_epoch_count_with_a_type_error(epochs):
    with pytest.raises(TypeError, match=r"^Perceptron.fit expects epochs to be a positive integer; got"):
        Perceptron(2).fit(XOR_X, XOR_Y, epochs=epochs)


def test_update_rejects_an_example_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"update expects one example x of shape \(2,\); got shape \(1, 2\)"):
        Perceptron(2).update(np.zeros((1, 2)), 1)


@pytest.mark.parametrize("kwargs, error", [({"n_features": 0}, ValueError), ({"n_features": 2.0}, TypeError),
                                           ({"n_features": 2, "lr": 0}, ValueError),
                                           ({"n_features": 2, "lr": "1"}, TypeError),
                                           ({"n_features": 2, "seed": 1.5}, TypeError)])
def test_rejects_bad_constructor_arguments_by_the_rule(kwargs, error):
    with pytest.raises(error, match="^Perceptron expects"):
        Perceptron(**kwargs)


def test_module_is_numpy_only():
    import sys
    import subprocess

    code = "import sys, dlcourse.nn; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
