"""The activation explorer builds without a display, redraws when a control changes, draws
the library's own curves, and leaves no matplotlib figure open."""
import warnings

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from dlcourse.nn import activations, losses
from dlcourse.widgets import activation_explorer
from dlcourse.widgets.activations import ACTIVATION_CHOICES, plot_activation, plot_losses

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _labels(ax):
    return [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]


def _parts(explorer):
    """(activation dropdown, z range, leaky slope, layers, picture), (loss kind, x range, target, picture)."""
    activation_tab, loss_tab = explorer.children[0].children
    (choice, z_range), (slope, layers) = activation_tab.children[0].children, activation_tab.children[1].children
    kind, (x_range, target) = loss_tab.children[0], loss_tab.children[1].children
    return (choice, z_range, slope, layers, activation_tab.children[2]), (kind, x_range, target, loss_tab.children[2])


def test_activation_explorer_builds_a_vbox_with_two_pictures_and_leaves_pyplot_untouched():
    open_before = plt.get_fignums()
    explorer = activation_explorer()
    assert isinstance(explorer, ipywidgets.VBox)
    assert isinstance(explorer.children[0], ipywidgets.Tab)
    (choice, z_range, slope, _, picture), (kind, _, target, loss_picture) = _parts(explorer)
    assert choice.value == "sigmoid" and list(choice.options) == list(ACTIVATION_CHOICES)
    assert z_range.value == 6.0 and slope.disabled and kind.value == "margin" and target.disabled
    assert bytes(picture.value).startswith(PNG_SIGNATURE) and bytes(loss_picture.value).startswith(PNG_SIGNATURE)
    assert isinstance(explorer.activation_figure, Figure) and isinstance(explorer.loss_figure, Figure)
    assert plt.get_fignums() == open_before


def test_activation_explorer_redraws_when_the_activation_changes():
    explorer = activation_explorer()
    (choice, _, slope, _, picture), _ = _parts(explorer)
    before = bytes(picture.value)
    choice.value = "relu"
    assert bytes(picture.value) != before
    assert explorer.activation_figure.axes[0].get_title() == "relu"
    assert slope.disabled
    choice.value = "leaky_relu"
    assert not slope.disabled
    shown = bytes(picture.value)
    slope.value = 0.3
    assert bytes(picture.value) != shown
    line = explorer.activation_figure.axes[0].get_lines()[0]  # g(z)
    np.testing.assert_allclose(line.get_ydata(), activations.leaky_relu(line.get_xdata(), 0.3))


@pytest.mark.slow  # ten redraws, about 3 s
def test_activation_explorer_draws_every_activation_silently():
    open_before = set(plt.get_fignums())  # figures other tests left open are not ours to judge
    explorer = activation_explorer()
    (choice, z_range, _, layers, _), _ = _parts(explorer)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z_range.value, layers.value = 20.0, 30
        for name in ACTIVATION_CHOICES:
            choice.value = name
            assert explorer.activation_figure.axes[0].get_title() == name
    assert set(plt.get_fignums()) <= open_before  # the explorer leaves no pyplot figure open


def test_activation_explorer_loss_tab_switches_between_margin_and_regression():
    explorer = activation_explorer()
    _, (kind, x_range, target, picture) = _parts(explorer)
    margin_picture = bytes(picture.value)
    assert _labels(explorer.loss_figure.axes[0]) == ["0-1", "hinge", "exponential", "logistic", "logistic / log 2"]
    kind.value = "regression"
    assert bytes(picture.value) != margin_picture and not target.disabled
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x_range.value, target.value = 10.0, 0.5  # errors reach p = -9.5: MSLE is left undrawn below p = -1
    ax_loss = explorer.loss_figure.axes[0]
    assert _labels(ax_loss) == ["MSE", "MAE", "MSLE", "MAPE / 100"]
    assert "t = 0.5" in ax_loss.get_xlabel()


def test_activation_explorer_plot_helpers_draw_the_library_values():
    ax = plot_activation("tanh", z_range=3.0)
    g, g_prime = ax.get_lines()[:2]
    np.testing.assert_allclose(g.get_ydata(), activations.tanh(g.get_xdata()))
    np.testing.assert_allclose(g_prime.get_ydata(), activations.tanh_grad(g_prime.get_xdata()))
    ax_loss, ax_grad = plot_losses("margin", x_range=2.0)
    hinge, hinge_slope = ax_loss.get_lines()[1], ax_grad.get_lines()[1]
    m = hinge.get_xdata()
    np.testing.assert_allclose(hinge.get_ydata(), np.maximum(0, 1 - m))
    assert losses.hinge(m, np.ones_like(m)) == pytest.approx(hinge.get_ydata().mean())
    np.testing.assert_allclose(hinge_slope.get_ydata(), np.where(m < 1, -1.0, 0.0))
    plt.close("all")


def test_activation_explorer_rejects_bad_arguments_in_one_sentence():
    with pytest.raises(ValueError, match=r"^activation_explorer expects activation to be one of 'identity', "
                                         r"'sigmoid', .*'gaussian'; got 'softmax'\.$"):
        activation_explorer("softmax")
    with pytest.raises(ValueError, match=r"activation_explorer expects z_range to be a number in \[1, 20\]; got 0"):
        activation_explorer(z_range=0)
    with pytest.raises(ValueError, match=r"plot_losses expects kind to be one of 'margin', 'regression'; "
                                         r"got 'ranking'"):
        plot_losses("ranking")


def test_explorer_refuses_a_string_range_with_a_type_error_and_one_out_of_bounds_with_a_value_error():
    with pytest.raises(TypeError, match=r"^activation_explorer expects z_range to be a number in \[1, 20\]; "
                                        r"got '5'\.$"):
        activation_explorer(z_range="5")
    with pytest.raises(ValueError, match=r"^plot_activation expects negative_slope to be a number in \[0, 1\]; "
                                         r"got 2\.$"):
        plot_activation("relu", negative_slope=2)
