"""The playground trains a seeded network on 2-D data, draws it without leaving figures open,
and refuses settings outside its controls with a sentence naming the setting."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from dlcourse.nn import MLP
from dlcourse.widgets import playground
from dlcourse.widgets.playground import (ACTIVATIONS, DATASETS, DEFAULT_NOISE, PlaygroundRun, plot_playground,
                                         train_playground)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _picture(box):
    return bytes(box.children[2].value)


def _status(box):
    return box.children[1].children[1].value


def test_playground_builds_trains_once_and_leaves_pyplot_untouched():
    open_before = plt.get_fignums()
    box = playground()
    assert isinstance(box.run, PlaygroundRun) and isinstance(box.figure, Figure)
    assert _picture(box).startswith(PNG_SIGNATURE)
    assert "test accuracy" in _status(box)
    assert {name: control.value for name, control in box.controls.items()} == pytest.approx(
        dict(dataset="xor", noise=DEFAULT_NOISE["xor"], hidden_width=8, depth=2, activation="tanh", lr=0.03,
             epochs=200, seed=0))
    assert plt.get_fignums() == open_before


def test_playground_without_train_now_waits_for_the_button():
    box = playground(train_now=False)
    assert box.run is None and box.figure is None and _picture(box) == b""


def test_xor_with_enough_width_is_learned_to_high_accuracy():
    run = train_playground("xor", hidden_width=8, depth=1, activation="relu", lr=0.03, epochs=100, seed=0)
    assert run.train_accuracy >= 0.9 and run.test_accuracy >= 0.9
    assert run.model.widths == [2, 8, 2] and run.n_parameters == 42


def test_training_is_deterministic_for_a_seed_and_changes_with_it():
    settings = dict(dataset="moons", hidden_width=6, depth=2, activation="tanh", lr=0.02, epochs=30)
    first, second = train_playground(**settings, seed=3), train_playground(**settings, seed=3)
    assert first.history == second.history
    for a, b in zip(first.model.params, second.model.params):
        np.testing.assert_array_equal(a, b)
    other = train_playground(**settings, seed=4)
    assert other.history["loss"] != first.history["loss"]


def test_the_train_button_function_reads_the_controls_and_redraws():
    box = playground(epochs=20)
    before = _picture(box)
    box.controls["dataset"].value = "spiral"
    box.controls["depth"].value = 0
    run = box.train()
    assert run is box.run and run.settings["dataset"] == "spiral" and run.settings["depth"] == 0
    assert run.model.widths == [2, 3]  # no hidden layer, one output per arm of the spiral
    assert _picture(box) != before and "no hidden layer" in _status(box)


def test_clicking_the_button_trains():
    box = playground(epochs=5, train_now=False)
    button = box.children[1].children[0]
    button.click()
    assert box.run is not None and box.run.settings["epochs"] == 5
    assert not button.disabled and button.description == "Train"


def test_choosing_a_data_set_resets_the_noise_to_its_default():
    box = playground(train_now=False)
    box.controls["noise"].value = 0.9
    box.controls["dataset"].value = "blobs"
    assert box.controls["noise"].value == pytest.approx(DEFAULT_NOISE["blobs"])


def test_a_bad_control_value_is_shown_in_the_status_not_raised():
    box = playground(train_now=False)
    box.controls["seed"].value = -1
    assert box.train() is None
    assert "seed to be a non-negative integer; got -1" in _status(box)


def test_a_linear_model_fails_on_circles_where_one_hidden_layer_succeeds():
    linear = train_playground("circles", depth=0, epochs=100)
    hidden = train_playground("circles", hidden_width=8, depth=1, activation="relu", epochs=100)
    assert linear.test_accuracy < 0.7
    assert hidden.test_accuracy >= 0.95


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_data_set_trains_with_one_output_per_class(dataset):
    run = train_playground(dataset, epochs=3)
    classes = 3 if dataset in ("spiral", "blobs") else 2
    assert run.model.widths[-1] == classes and isinstance(run.model, MLP)
    assert run.X_train.shape == (200, 2) and run.X_test.shape == (200, 2)
    assert set(np.unique(run.y_train)) == set(range(classes))
    assert len(run.history["val_loss"]) == 3


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_every_activation_is_used_by_the_hidden_layers(activation):
    run = train_playground("xor", activation=activation, epochs=2)
    assert run.model.activation == activation


def test_plot_playground_draws_the_boundary_and_both_loss_curves():
    run = train_playground("xor", epochs=10)
    figure = Figure()
    axes = figure.subplots(1, 2)
    ax_boundary, ax_loss = plot_playground(run, axes=axes)
    assert ax_boundary is axes[0] and ax_loss is axes[1]
    assert [line.get_label() for line in ax_loss.get_lines()] == ["train loss", "test loss", "chance, log 2"]
    np.testing.assert_allclose(ax_loss.get_lines()[1].get_ydata(), run.history["val_loss"])
    np.testing.assert_allclose(ax_loss.get_lines()[2].get_ydata(), [np.log(2)] * 2)  # the level of a coin toss
    assert ax_loss.get_ylim()[0] == 0 and ax_boundary.get_aspect() == 1.0  # equal axes: circles look round
    assert ax_boundary.get_title().startswith("xor: train ")


def test_plot_playground_refuses_what_is_not_a_run():
    with pytest.raises(TypeError, match="^plot_playground expects run to be a PlaygroundRun from train_playground; "
                                        "got dict"):
        plot_playground({"model": None})


@pytest.mark.parametrize("kwargs, message", [
    ({"dataset": "swirl"}, r"dataset to be one of 'xor', 'spiral', 'circles', 'moons', 'blobs'; got 'swirl'"),
    ({"noise": -0.1}, r"noise to be a number in \[0, 1\] \(or None for the data set's default\); got -0.1"),
    ({"hidden_width": 0}, r"hidden_width to be an integer in \[1, 32\]; got 0"),
    ({"depth": 5}, r"depth to be an integer in \[0, 4\]; got 5"),
    ({"activation": "softsign"}, r"activation to be one of 'relu', 'tanh', 'sigmoid', 'identity'; got 'softsign'"),
    ({"lr": 10.0}, r"lr to be a number in \[0.0001, 1\]; got 10.0"),
    ({"epochs": 0}, r"epochs to be an integer in \[1, 500\]; got 0"),
    ({"seed": -1}, r"seed to be a non-negative integer; got -1"),
])
def test_bad_settings_are_refused_with_the_setting_named(kwargs, message):
    with pytest.raises(ValueError, match="^train_playground expects " + message):
        train_playground(**kwargs)
    with pytest.raises(ValueError, match="^playground expects " + message):
        playground(**kwargs)


@pytest.mark.parametrize("kwargs, message", [
    ({"hidden_width": 4.0}, r"hidden_width to be an integer in \[1, 32\]; got 4.0"),
    ({"epochs": "10"}, r"epochs to be an integer in \[1, 500\]; got '10'"),
    ({"noise": "0.1"}, r"noise to be a number in \[0, 1\] \(or None for the data set's default\); got '0.1'"),
])
def test_settings_of_the_wrong_type_are_refused_with_a_type_error(kwargs, message):
    with pytest.raises(TypeError, match="^train_playground expects " + message):
        train_playground(**kwargs)
    with pytest.raises(TypeError, match="^playground expects " + message):
        playground(**kwargs)


@pytest.mark.slow
def test_the_largest_allowed_network_learns_the_spiral():
    # How long a click takes is the benchmark runner's business (lecture 02's time), not a test's.
    run = train_playground("spiral", hidden_width=32, depth=4, epochs=500)
    assert run.train_accuracy > 0.9 and len(run.history["loss"]) == 500
