"""Behaviour of dlcourse.nn.train: batching (GD, SGD, mini-batch), shuffling, history, errors."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcourse import datasets
from dlcourse.nn import MLP, SGD, train


class RecordingSGD:
    """Plain SGD that also records the size of every batch it was given a step for."""

    def __init__(self, lr):
        self.lr = lr
        self.steps = 0

    def step(self, params, grads):
        self.steps += 1
        for p, g in zip(params, grads):
            p -= self.lr * g


class RecordingMLP(MLP):
    """An MLP that remembers the rows of every training batch it saw (the first input column)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.batches = []

    def backward(self, y=None, **kwargs):
        self.batches.append(self.a[0][:, 0].copy())
        return super().backward(y, **kwargs)


def small_data(n=20, seed=0):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.arange(n, dtype=float), rng.normal(size=n)])  # first column: the row index
    return X, (X[:, 1] > 0).astype(np.int64)


@pytest.mark.parametrize("batch_size, steps_per_epoch, sizes", [
    (None, 1, [20]), (1, 20, [1] * 20), (6, 4, [6, 6, 6, 2]), (50, 1, [20]),
])
def test_batch_size_sets_the_number_and_size_of_steps_per_epoch(batch_size, steps_per_epoch, sizes):
    X, y = small_data()
    model, optimizer = RecordingMLP([2, 4, 2]), RecordingSGD(lr=0.01)
    train(model, optimizer, X, y, epochs=3, batch_size=batch_size, progress=False)
    assert optimizer.steps == 3 * steps_per_epoch
    assert [len(b) for b in model.batches] == sizes * 3


def test_each_epoch_visits_every_example_once_in_a_new_seeded_order():
    X, y = small_data()
    model = RecordingMLP([2, 4, 2])
    train(model, RecordingSGD(lr=0.01), X, y, epochs=2, batch_size=6, progress=False, seed=3)
    epoch_1, epoch_2 = np.concatenate(model.batches[:4]), np.concatenate(model.batches[4:])
    assert sorted(epoch_1) == sorted(epoch_2) == list(range(20))
    assert not np.array_equal(epoch_1, epoch_2)
    expected = np.random.default_rng(3).permutation(20)
    np.testing.assert_array_equal(epoch_1, expected)


def test_full_batch_training_equals_a_hand_written_gradient_descent_loop():
    X, y = datasets.spiral(n=90, seed=1)
    model, reference = MLP([2, 8, 3], seed=4), MLP([2, 8, 3], seed=4)
    history = train(model, SGD(lr=0.5), X, y, epochs=5, progress=False)
    losses = []
    for _ in range(5):
        reference.loss(X, y)
        reference.backward(y)
        for p, g in zip(reference.params, reference.grads):
            p -= 0.5 * g
        losses.append(reference.loss(X, y))
    assert all(np.array_equal(a, b) for a, b in zip(model.params, reference.params))
    assert history["loss"] == losses


def test_same_seed_gives_the_same_run_and_another_seed_a_different_one():
    X, y = datasets.spiral(n=90, seed=1)
    runs = [train(MLP([2, 8, 3]), SGD(lr=0.1), X, y, epochs=4, batch_size=10, seed=s, progress=False)
            for s in (0, 0, 1)]
    assert runs[0] == runs[1]
    assert runs[0]["loss"] != runs[2]["loss"]


def test_history_holds_one_value_per_epoch_for_train_and_validation():
    X, y = datasets.spiral(n=90, seed=1)
    X_val, y_val = datasets.spiral(n=30, seed=2)
    model = MLP([2, 8, 3])
    history = train(model, SGD(lr=0.1), X, y, epochs=7, batch_size=16, X_val=X_val, y_val=y_val, progress=False)
    assert sorted(history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(len(values) == 7 for values in history.values())
    assert history["loss"][-1] == pytest.approx(model.loss(X, y))
    assert history["val_accuracy"][-1] == np.mean(model.predict(X_val) == y_val)


def test_regression_records_loss_only_and_a_single_sigmoid_unit_records_accuracy():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    regression = train(MLP([2, 4, 1], output="identity"), SGD(lr=0.05), X, X[:, 0] - X[:, 1], epochs=2,
                       progress=False)
    assert sorted(regression) == ["loss"]
    binary = train(MLP([2, 4, 1], output="sigmoid"), SGD(lr=0.05), X, (X[:, 0] > 0).astype(float), epochs=2,
                   progress=False)
    assert sorted(binary) == ["accuracy", "loss"]


def test_mini_batch_sgd_fits_the_spiral():
    X, y = datasets.spiral(n=300, seed=0)
    model = MLP([2, 64, 64, 3], seed=0)
    history = train(model, SGD(lr=0.3), X, y, epochs=100, batch_size=32, progress=False)
    assert history["loss"][-1] < history["loss"][0] / 10
    assert history["accuracy"][-1] >= 0.97


def test_automatic_live_mode_outside_jupyter_leaves_no_figure_and_no_output(capsys):
    X, y = small_data()
    before = plt.get_fignums()
    train(MLP([2, 4, 2]), SGD(lr=0.1), X, y, epochs=2, progress=False)
    assert plt.get_fignums() == before
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_a_diverging_run_stops_with_a_hint_about_the_learning_rate():
    X, y = datasets.spiral(n=60, seed=0)
    with pytest.raises(FloatingPointError, match=r"loss became (nan|inf).*learning rate is probably too large"):
        with np.errstate(all="ignore"):
            train(MLP([2, 8, 1], output="identity"), SGD(lr=1e6), X, y.astype(float), epochs=50,
                  progress=False)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(model=object()), TypeError, r"train expects a model with loss\(X, y\).*object has no loss, backward"),
    (dict(optimizer=object()), TypeError, r"train expects an optimizer with step\(params, grads\)"),
    (dict(y=np.zeros(5, dtype=int)), ValueError, r"one target per row of X: y with 20 rows; got shape \(5,\)"),
    (dict(X=np.zeros(20)), ValueError, r"X of shape \(N, n_features\)"),
    (dict(epochs=0), ValueError, r"epochs to be a positive integer; got 0"),
    (dict(batch_size=0), ValueError, r"batch_size to be None \(full batch\) or a positive integer; got 0"),
    (dict(X_val=np.zeros((3, 2))), ValueError, r"X_val and y_val together; got only X_val"),
    (dict(live="yes"), TypeError, r"live to be True, False or None"),
    (dict(batch_size=2.5), TypeError, r"^train expects batch_size to be None \(full batch\) or a positive integer; "
                                      r"got 2\.5\.$"),
    (dict(seed="0"), TypeError, r"^train expects seed to be a non-negative integer such as 0; got '0'\.$"),
    (dict(X=[["a", "b"]] * 20), TypeError, r"^train expects X to be a NumPy array of numbers; got list\.$"),
])
def test_bad_arguments_are_refused_in_one_sentence(kwargs, error, message):
    X, y = small_data()
    arguments = dict(model=MLP([2, 4, 2]), optimizer=RecordingSGD(0.1), X=X, y=y, epochs=1, progress=False)
    arguments.update(kwargs)
    with pytest.raises(error, match=message):
        train(**arguments)


def test_train_refuses_a_string_epoch_count_with_a_type_error():
    X, y = small_data()
    with pytest.raises(TypeError, match=r"^train expects epochs to be a positive integer; got '5'\.$"):
        train(MLP([2, 4, 2]), RecordingSGD(0.1), X, y, epochs="5", progress=False)


def test_train_refuses_a_zero_epoch_count_with_a_value_error():
    X, y = small_data()
    with pytest.raises(ValueError, match=r"^train expects epochs to be a positive integer; got 0\.$"):
        train(MLP([2, 4, 2]), RecordingSGD(0.1), X, y, epochs=0, progress=False)
