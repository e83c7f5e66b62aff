"""Optimisers racing on a 2-D test surface (lecture 05).

``plot_trajectories`` draws a surface's contours and the paths of several optimisers;
``optimizer_explorer`` wraps it in widgets: pick a surface, the optimisers, the learning
rate and the number of steps, and the picture redraws.
"""
from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np

from .._validation import check_array, check_choice, check_instance, check_int, check_real, shown
from ..nn.optim import SGD, Adadelta, Adagrad, Adam, RMSprop, Surface, narrow_valley, rosenbrock, saddle, trajectory

__all__ = ["optimizer_explorer", "plot_trajectories", "OPTIMIZER_CHOICES", "SURFACE_CHOICES"]

# label -> a function of the learning rate that makes a fresh optimiser
OPTIMIZER_CHOICES = {
    "SGD": lambda lr: SGD(lr=lr),
    "momentum": lambda lr: SGD(lr=lr, momentum=0.9),
    "Nesterov": lambda lr: SGD(lr=lr, momentum=0.9, nesterov=True),
    "Adagrad": lambda lr: Adagrad(lr=lr),
    "Adadelta": lambda lr: Adadelta(lr=lr),
    "RMSprop": lambda lr: RMSprop(lr=lr),
    "Adam": lambda lr: Adam(lr=lr),
}
SURFACE_CHOICES = {s.name: s for s in (saddle, narrow_valley, rosenbrock)}

# Okabe-Ito colours (dlcourse.plotting), which readers with red-green colour blindness tell apart
_COLOURS = dict(zip(OPTIMIZER_CHOICES, ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000"]))


def plot_trajectories(surface: Surface, paths, ax=None, title=None):
    """Draw the contours of ``surface`` and each path on top.

    paths: mapping label -> array of shape (steps + 1, 2) (as returned by ``trajectory``);
    rows of NaN (a diverged run) end the line, and the label says at which step.
    The start is a black dot, the minimum a star. Returns the Axes.
    """
    check_instance(surface, "surface", "plot_trajectories", Surface, "a Surface such as narrow_valley")
    check_instance(paths, "paths", "plot_trajectories", Mapping, "a mapping label -> (steps + 1, 2) array")
    checked = {}
    for label, path in paths.items():
        path = check_array(path, f"path {label!r}", "plot_trajectories")
        if path.ndim != 2 or path.shape[1] != 2:
            raise ValueError(f"plot_trajectories expects each path of shape (steps + 1, 2); "
                             f"path {label!r} has shape {path.shape}.")
        checked[label] = path
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 4.5), layout="constrained")
    _draw_contours(ax, surface)
    for i, (label, path) in enumerate(checked.items()):
        finite = np.isfinite(path).all(axis=1)
        shown = f"{label} (diverged at step {int(np.argmin(finite))})" if not finite.all() else str(label)
        colour = _COLOURS.get(label, f"C{i}")
        ax.plot(path[:, 0], path[:, 1], "-o", color=colour, lw=1.5, markersize=2, label=shown)
    if checked:
        start = next(iter(checked.values()))[0]
        ax.plot(*start, "o", color="black", markersize=6, zorder=5)
        ax.legend(loc="best", fontsize="small")
    ax.set(xlim=surface.xlim, ylim=surface.ylim, xlabel="x", ylabel="y",
           title=surface.name if title is None else title)
    ax.set_aspect("equal")  # the surface's true shape: a narrow valley looks narrow
    return ax


def _draw_contours(ax, surface: Surface) -> None:
    x = np.linspace(*surface.xlim, 150)
    y = np.linspace(*surface.ylim, 150)
    X, Y = np.meshgrid(x, y)  # (150, 150) each
    Z = surface.f(X, Y) - surface.f(*surface.minimum)  # >= 0; 0 at the minimum
    # levels at quantiles of the values in view: even spacing of the picture whatever the range of f
    levels = np.unique(np.quantile(Z, np.linspace(0.0, 0.95, 20) ** 1.5))
    ax.contourf(X, Y, Z, levels=levels, cmap="Greys_r", alpha=0.35, extend="max")
    ax.contour(X, Y, Z, levels=levels, colors="gray", linewidths=0.5)
    ax.plot(*surface.minimum, "*", color="gold", markersize=14, markeredgecolor="black", zorder=5)


def _draw_gaps(ax, surface: Surface, paths: dict) -> None:
    """f(theta_t) - f(minimum) against the step, on a log axis."""
    f_min = surface.f(*surface.minimum)
    for i, (label, path) in enumerate(paths.items()):
        gap = surface.f(path[:, 0], path[:, 1]) - f_min  # NaN after divergence: the line ends
        ax.plot(np.arange(len(gap)), np.where(gap > 0, gap, np.nan), color=_COLOURS.get(label, f"C{i}"), label=label)
    ax.set(yscale="log", xlabel="step", ylabel="f(x, y) - f(minimum)", title="distance to the minimum value")
    ax.grid(alpha=0.3)


def optimizer_explorer(surface: str = "narrow valley", optimizers=("SGD", "momentum", "Adam"), lr: float = 0.05,
                       steps: int = 100):
    """Widgets to race optimisers on a 2-D surface; returns a VBox to display.

    surface: one of ``SURFACE_CHOICES`` ("saddle", "narrow valley", "rosenbrock");
    optimizers: labels from ``OPTIMIZER_CHOICES`` (SGD, momentum, Nesterov with momentum 0.9,
    Adagrad, Adadelta, RMSprop, Adam), all run with the same learning rate ``lr``;
    steps: how many steps each takes from the surface's starting point.
    The picture is drawn on a matplotlib Figure outside pyplot (nothing is left open) and
    shown as a PNG in an Image widget; the latest Figure is kept as ``explorer.figure``.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    check_choice(surface, "surface", "optimizer_explorer", SURFACE_CHOICES)
    names = f"a tuple of names from {', '.join(map(repr, OPTIMIZER_CHOICES))}"
    check_instance(optimizers, "optimizers", "optimizer_explorer", (tuple, list), names)
    if any(name not in OPTIMIZER_CHOICES for name in optimizers):
        raise ValueError(f"optimizer_explorer expects optimizers to be {names}; got {shown(optimizers)}.")
    lr = check_real(lr, "lr", "optimizer_explorer", minimum=1e-4, maximum=3.0, allowed="a number in [1e-4, 3]")
    steps = check_int(steps, "steps", "optimizer_explorer", minimum=1, maximum=1000)

    surface_box = widgets.Dropdown(options=list(SURFACE_CHOICES), value=surface, description="surface")
    optimizer_box = widgets.SelectMultiple(options=list(OPTIMIZER_CHOICES), value=tuple(optimizers),
                                           rows=len(OPTIMIZER_CHOICES), description="optimisers")
    lr_slider = widgets.FloatLogSlider(value=lr, base=10, min=-4, max=0.5, step=0.05, description="lr",
                                       readout_format=".4f", continuous_update=False)
    steps_slider = widgets.IntSlider(value=steps, min=1, max=1000, step=1, description="steps",
                                     continuous_update=False)
    # An Image rather than an Output widget: redrawing replaces its bytes and never routes a
    # display() through the kernel's output capture, which makes nbclient (the engine of
    # nbconvert and of the notebook tests) stall now and then (jupyter/nbclient#312).
    picture = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="1000px"))

    def redraw(_change=None):
        chosen = SURFACE_CHOICES[surface_box.value]
        paths = {name: trajectory(OPTIMIZER_CHOICES[name](lr_slider.value), chosen, steps=steps_slider.value)
                 for name in optimizer_box.value}
        figure = Figure(figsize=(10, 4), layout="constrained")
        ax_path, ax_gap = figure.subplots(1, 2)
        plot_trajectories(chosen, paths, ax=ax_path, title=f"{chosen.name}, lr = {lr_slider.value:.4g}")
        _draw_gaps(ax_gap, chosen, paths)
        png = io.BytesIO()
        figure.savefig(png, format="png", dpi=80)
        picture.value = png.getvalue()
        explorer.figure = figure  # the latest picture, for a test or a saved copy

    for control in (surface_box, optimizer_box, lr_slider, steps_slider):
        control.observe(redraw, names="value")
    explorer = widgets.VBox([widgets.HBox([widgets.VBox([surface_box, lr_slider, steps_slider]), optimizer_box]),
                             picture])
    redraw()
    return explorer
