"""dlcourse.models.fit, predict and accuracy: the PyTorch training loop of the lectures."""
import re

import numpy as np
import pytest
import torch
from torch import nn

import dlcourse
from dlcourse import datasets
from dlcourse.models import accuracy, fit, predict


def _spiral_net(seed=0):
    dlcourse.seed_everything(seed)
    return nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 3))


def test_fit_learns_the_spiral_and_returns_one_history_entry_per_epoch():
    X, y = datasets.spiral(n=300, seed=0)
    X_val, y_val = datasets.spiral(n=150, seed=1)
    model = _spiral_net()
    history = fit(model, X, y, epochs=60, batch_size=32, lr=0.02, X_val=X_val, y_val=y_val, live=False, progress=False)
    assert sorted(history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(len(values) == 60 for values in history.values())
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert accuracy(model, X_val, y_val) == pytest.approx(history["val_accuracy"][-1])
    assert history["val_accuracy"][-1] > 0.9
    assert not model.training  # left in evaluation mode


def test_fit_repeats_exactly_with_the_same_seeds():
    X, y = datasets.spiral(n=120, seed=0)
    runs = [fit(_spiral_net(), X, y, epochs=5, batch_size=16, live=False, progress=False) for _ in range(2)]
    assert runs[0] == runs[1]
    other = fit(_spiral_net(), X, y, epochs=5, batch_size=16, seed=1, live=False, progress=False)
    assert other["loss"] != runs[0]["loss"]


def test_fit_trains_only_parameters_that_require_a_gradient():
    X, y = datasets.spiral(n=60, seed=0)
    model = _spiral_net()
    model[0].requires_grad_(False)
    frozen = model[0].weight.detach().clone()
    head = model[2].weight.detach().clone()
    fit(model, X, y, epochs=2, live=False, progress=False)
    assert torch.equal(model[0].weight, frozen) and not torch.equal(model[2].weight, head)


def test_fit_with_every_layer_frozen_says_what_to_do():
    model = _spiral_net().requires_grad_(False)
    with pytest.raises(ValueError, match="every layer of the model is frozen; unfreeze at least one"):
        fit(model, *datasets.spiral(n=30), epochs=1, live=False, progress=False)


def test_fit_accepts_a_ready_optimizer_and_a_regression_loss():
    dlcourse.seed_everything(0)
    model = nn.Linear(3, 1)
    X = np.random.default_rng(0).normal(size=(200, 3)).astype(np.float32)
    y = X @ np.array([[1.0], [-2.0], [0.5]], dtype=np.float32)
    history = fit(model, X, y, epochs=40, loss="mse", optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
                  live=False, progress=False)
    assert list(history) == ["loss"] and history["loss"][-1] < 1e-4


def test_predict_gives_int64_labels_one_per_input():
    model = _spiral_net()
    labels = predict(model, np.zeros((7, 2), dtype=np.float32))
    assert labels.shape == (7,) and labels.dtype == np.int64


@pytest.mark.parametrize("kwargs, error, message", [
    ({"y": np.zeros(5)}, ValueError, "fit expects one target per example: X has 6 rows, y has 5."),
    ({"y": np.zeros(6)}, ValueError, "fit with loss='cross_entropy' expects y of shape (6,) holding integer class"),
    ({"epochs": 0}, ValueError, "fit expects epochs to be a positive integer; got 0."),
    ({"batch_size": -4}, ValueError, "fit expects batch_size to be a positive integer; got -4."),
    ({"seed": -1}, ValueError, "fit expects seed to be a non-negative integer; got -1."),
    ({"lr": 0.0}, ValueError, "fit expects lr to be a positive number; got 0.0."),
    ({"optimizer": "lbfgs"}, ValueError, "fit expects optimizer to be one of 'adam', 'sgd', 'rmsprop'; got 'lbfgs'."),
    ({"loss": "hinge"}, ValueError, "fit expects loss to be one of 'cross_entropy', 'mse'; got 'hinge'."),
    ({"X_val": np.zeros((2, 2))}, ValueError, "fit expects X_val and y_val together; got only X_val."),
    ({"X": np.zeros((0, 2)), "y": np.zeros(0, dtype=np.int64)}, ValueError,
     "fit expects X with at least one example along the first axis; got shape (0, 2)."),
])
def test_fit_explains_bad_arguments(kwargs, error, message):
    arguments = {"X": np.zeros((6, 2)), "y": np.zeros(6, dtype=np.int64), "epochs": 1, **kwargs}
    with pytest.raises(error, match=re.escape(message)):
        fit(_spiral_net(), live=False, progress=False, **arguments)


@pytest.mark.parametrize("kwargs, message", [
    ({"epochs": "3"}, "fit expects epochs to be a positive integer; got '3'."),
    ({"epochs": 2.0}, "fit expects epochs to be a positive integer; got 2.0."),
    ({"batch_size": True}, "fit expects batch_size to be a positive integer; got True."),
    ({"lr": "fast"}, "fit expects lr to be a positive number; got 'fast'."),
    ({"optimizer": 3},
     "fit expects optimizer to be one of 'adam', 'sgd', 'rmsprop' or a torch.optim.Optimizer; got int."),
    ({"loss": None}, "fit expects loss to be one of 'cross_entropy', 'mse' or a function (outputs, targets) -> loss; "
                     "got NoneType."),
    ({"X": "pixels"}, "fit expects X to be a NumPy array or tensor of numbers; got str."),
])
def test_fit_raises_type_error_for_an_argument_of_the_wrong_type(kwargs, message):
    arguments = {"X": np.zeros((6, 2)), "y": np.zeros(6, dtype=np.int64), "epochs": 1, **kwargs}
    with pytest.raises(TypeError, match=re.escape(message)):
        fit(_spiral_net(), live=False, progress=False, **arguments)


def test_fit_refuses_something_that_is_not_a_module():
    with pytest.raises(TypeError, match="fit expects model to be a torch.nn.Module; got function."):
        fit(lambda x: x, np.zeros((2, 2)), np.zeros(2, dtype=np.int64), epochs=1)


def test_accuracy_wants_one_label_per_input():
    message = "accuracy expects y to be an array of shape (4,), one label per input; got shape (4, 1)."
    with pytest.raises(ValueError, match=re.escape(message)):
        accuracy(_spiral_net(), np.zeros((4, 2)), np.zeros((4, 1)))
