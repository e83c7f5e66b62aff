"""The optimiser explorer builds, redraws when a control changes, and leaves no figure open."""
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from dlcourse.nn.optim import SGD, Adam, narrow_valley, saddle, trajectory
from dlcourse.widgets import optimizer_explorer
from dlcourse.widgets.optimizers import OPTIMIZER_CHOICES, SURFACE_CHOICES, plot_trajectories


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _controls(explorer):
    """surface dropdown, lr slider, steps slider, optimiser selector (in the layout's order)."""
    sliders, selector = explorer.children[0].children
    surface, lr, steps = sliders.children
    return surface, lr, steps, selector


def _picture(explorer):
    return bytes(explorer.children[1].value)  # the PNG the Image widget shows


def test_explorer_builds_with_one_figure_and_leaves_pyplot_untouched():
    open_before = plt.get_fignums()
    explorer = optimizer_explorer()
    assert isinstance(explorer.figure, Figure)
    assert _picture(explorer).startswith(PNG_SIGNATURE)
    surface, lr, steps, selector = _controls(explorer)
    assert surface.value == "narrow valley" and selector.value == ("SGD", "momentum", "Adam")
    assert lr.value == pytest.approx(0.05) and steps.value == 100
    assert plt.get_fignums() == open_before


def test_explorer_redraws_when_the_learning_rate_changes():
    explorer = optimizer_explorer(steps=20)
    _, lr, _, _ = _controls(explorer)
    before = _picture(explorer)
    lr.value = 0.2
    assert _picture(explorer) != before
    assert "lr = 0.2" in explorer.figure.axes[0].get_title()


@pytest.mark.slow
def test_explorer_redraws_after_every_control_change():
    open_before = set(plt.get_fignums())  # figures other tests left open are not ours to judge
    explorer = optimizer_explorer()
    surface, lr, steps, selector = _controls(explorer)
    seen, pictures = [explorer.figure], [_picture(explorer)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for control, value in [(surface, "saddle"), (surface, "rosenbrock"), (lr, 0.001), (steps, 30),
                               (selector, tuple(OPTIMIZER_CHOICES)), (selector, ())]:
            control.value = value
            assert explorer.figure is not seen[-1], f"no redraw after setting {value!r}"
            assert _picture(explorer) != pictures[-1], f"the picture did not change after setting {value!r}"
            seen.append(explorer.figure)
            pictures.append(_picture(explorer))
    assert set(plt.get_fignums()) <= open_before  # the explorer leaves no pyplot figure open


def test_explorer_shows_one_line_per_chosen_optimiser():
    explorer = optimizer_explorer(surface="saddle", optimizers=("Nesterov", "RMSprop"), lr=0.02, steps=40)
    ax_path, ax_gap = explorer.figure.axes[:2]
    labels = [t.get_text() for t in ax_path.get_legend().get_texts()]
    assert labels == ["Nesterov", "RMSprop"]
    assert "saddle" in ax_path.get_title() and len(ax_gap.get_lines()) == 2


def test_explorer_labels_a_diverged_run_with_its_step():
    explorer = optimizer_explorer(surface="narrow valley", optimizers=("SGD",), lr=1.0, steps=100)
    label = explorer.figure.axes[0].get_legend().get_texts()[0].get_text()
    assert label.startswith("SGD (diverged at step ")


@pytest.mark.parametrize("kwargs, message", [
    ({"surface": "bowl"}, r"surface to be one of 'saddle', 'narrow valley', 'rosenbrock'; got 'bowl'"),
    ({"optimizers": ("Adam", "LBFGS")},
     r"optimizers to be a tuple of names from 'SGD', .*; got \('Adam', 'LBFGS'\)\.$"),
    ({"lr": 10.0}, r"lr to be a number in \[1e-4, 3\]; got 10.0"),
    ({"steps": 0}, r"steps to be an integer in \[1, 1000\]; got 0"),
])
def test_explorer_refuses_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        optimizer_explorer(**kwargs)


@pytest.mark.parametrize("kwargs, message", [
    ({"optimizers": "Adam"}, r"optimizers to be a tuple of names from 'SGD', .*; got str\.$"),
    ({"lr": "0.1"}, r"lr to be a number in \[1e-4, 3\]; got '0.1'\.$"),
    ({"steps": 10.0}, r"steps to be an integer in \[1, 1000\]; got 10.0\.$"),
])
def test_explorer_refuses_settings_of_the_wrong_type_with_a_type_error(kwargs, message):
    with pytest.raises(TypeError, match="^optimizer_explorer expects " + message):
        optimizer_explorer(**kwargs)


def test_plot_trajectories_draws_each_path_and_returns_the_axes():
    paths = {"SGD": trajectory(SGD(lr=0.1), narrow_valley, steps=20),
             "Adam": trajectory(Adam(lr=0.5), narrow_valley, steps=20)}
    figure = Figure()
    ax = figure.subplots()
    assert plot_trajectories(narrow_valley, paths, ax=ax) is ax
    drawn = [line for line in ax.get_lines() if line.get_label() in paths]
    assert len(drawn) == 2
    np.testing.assert_allclose(drawn[0].get_xydata(), paths["SGD"])
    assert ax.get_xlim() == narrow_valley.xlim


def test_plot_trajectories_refuses_paths_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"path 'SGD' has shape \(3,\)"):
        plot_trajectories(saddle, {"SGD": np.zeros(3)}, ax=Figure().subplots())
    with pytest.raises(TypeError, match=r"paths to be a mapping label -> \(steps \+ 1, 2\) array; got list"):
        plot_trajectories(saddle, [np.zeros((3, 2))], ax=Figure().subplots())


def test_every_surface_choice_is_a_surface_with_its_name():
    assert all(surface.name == name for name, surface in SURFACE_CHOICES.items())
