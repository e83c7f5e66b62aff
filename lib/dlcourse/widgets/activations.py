"""Activations, their derivatives and the losses, drawn and explored (lecture 03).

``plot_activation`` draws g(z) and g'(z) and shades where the derivative is almost 0;
``plot_losses`` draws the classification losses against the margin t p, or the regression
losses against the error p - t, with their derivatives. ``activation_explorer`` wraps both
in widgets: pick an activation (or a family of losses), move the sliders, the picture
redraws. Everything is computed by ``dlcourse.nn.activations`` and ``dlcourse.nn.losses``.
"""
from __future__ import annotations

import io

import numpy as np

from .._validation import check_choice, check_real
from ..nn import activations, losses

__all__ = ["activation_explorer", "plot_activation", "plot_losses", "ACTIVATION_CHOICES", "LOSS_KINDS"]

# name -> (g, g'); softmax is left out: it maps a vector to a vector, not a number to a number
ACTIVATION_CHOICES = {
    name: (getattr(activations, name), getattr(activations, f"{name}_grad"))
    for name in ("identity", "sigmoid", "tanh", "hard_tanh", "relu", "leaky_relu", "softplus", "gaussian")
}
LOSS_KINDS = ("margin", "regression")

# |g'(z)| below this counts as "no gradient": saturated (sigmoid, tanh) or dead (ReLU)
_FLAT = 0.01
# floor of the log-scale panel, so a derivative of exactly 0 (ReLU) still draws
_LOG_FLOOR = 1e-30


def _activation_curves(name: str, z: np.ndarray, negative_slope: float):
    g, g_prime = ACTIVATION_CHOICES[name]
    if name == "leaky_relu":
        return g(z, negative_slope), g_prime(z, negative_slope)
    return g(z), g_prime(z)


def _new_axes(ax, figsize):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def plot_activation(activation: str, ax=None, z_range: float = 5.0, negative_slope: float = 0.01):
    """Draw g(z) (solid) and g'(z) (dashed) on [-z_range, z_range]; returns the Axes.

    activation: a name from ``ACTIVATION_CHOICES``; negative_slope: used by leaky_relu only.
    Grey bands mark where |g'(z)| < 0.01: the unit passes (almost) no gradient back there.
    """
    check_choice(activation, "activation", "plot_activation", ACTIVATION_CHOICES)
    z_range = check_real(z_range, "z_range", "plot_activation", minimum=0.1, maximum=1000.0)
    negative_slope = check_real(negative_slope, "negative_slope", "plot_activation", minimum=0.0, maximum=1.0)
    ax = _new_axes(ax, (4.5, 3.2))
    z = np.linspace(-z_range, z_range, 801)
    a, slope = _activation_curves(activation, z, negative_slope)
    flat = np.abs(slope) < _FLAT
    if flat.any():
        ax.fill_between(z, 0, 1, where=flat, transform=ax.get_xaxis_transform(), color="0.9",
                        label=f"|g'(z)| < {_FLAT:g}")
    ax.plot(z, a, color="#0072B2", lw=2, label="g(z)")  # Okabe-Ito blue
    ax.plot(z, slope, color="#D55E00", lw=1.5, ls="--", label="g'(z)")  # vermillion
    ax.axhline(0, color="black", lw=0.5)
    ax.axvline(0, color="black", lw=0.5)
    ax.set(xlim=(-z_range, z_range), xlabel="z", title=activation)
    ax.legend(loc="best", fontsize="small")
    return ax


def _loss_curves(kind: str, x: np.ndarray, target: float) -> dict:
    """label -> (values, derivatives) of each loss at the points x, one example at a time."""
    n = x.size
    if kind == "margin":
        # margin m = t p with t = +1, so p = m; the derivative is dL/dm = dL/dp for t = +1
        t = np.ones(n)
        curves = {"0-1": ((x <= 0).astype(float), np.zeros(n))}  # counts m = 0 as a mistake
        for label, name in [("hinge", "hinge"), ("exponential", "exponential"), ("logistic", "logistic")]:
            loss, grad = getattr(losses, name), getattr(losses, f"{name}_grad")
            with np.errstate(over="ignore"):
                # the loss of one example is the loss of a batch of one; grad of the mean times n is per example
                values = np.array([loss(x[i:i + 1], t[i:i + 1]) for i in range(n)])
                curves[label] = (values, grad(x, t) * n)
        curves["logistic / log 2"] = (curves["logistic"][0] / np.log(2), curves["logistic"][1] / np.log(2))
        return curves
    # regression: error e = p - t for a fixed target t; MSLE needs p > -1
    p = target + x
    inside = p > -1
    t = np.full(n, target)
    curves = {}
    for label, name, scale in [("MSE", "mse", 1.0), ("MAE", "mae", 1.0), ("MSLE", "msle", 1.0),
                               ("MAPE / 100", "mape", 0.01)]:
        loss, grad = getattr(losses, name), getattr(losses, f"{name}_grad")
        values, slopes = np.full(n, np.nan), np.full(n, np.nan)
        values[inside] = [loss(p[i:i + 1], t[i:i + 1]) * scale for i in np.flatnonzero(inside)]
        slopes[inside] = grad(p[inside], t[inside]) * inside.sum() * scale
        curves[label] = (values, slopes)
    return curves


# Okabe-Ito colours (dlcourse.plotting.OKABE_ITO): readers with red-green colour blindness tell them apart
_LOSS_COLOURS = {"0-1": "black", "hinge": "#0072B2", "exponential": "#E69F00", "logistic": "#009E73",
                 "logistic / log 2": "#56B4E9", "MSE": "#0072B2", "MAE": "#E69F00", "MSLE": "#009E73",
                 "MAPE / 100": "#CC79A7"}


def plot_losses(kind: str = "margin", axes=None, x_range: float = 3.0, target: float = 2.0):
    """Draw a family of losses (left) and their derivatives (right); returns the two Axes.

    kind: "margin" plots 0-1, hinge, exponential and logistic loss (natural log, and divided
    by log 2 so it passes through 1 at 0) against the margin m = t p in [-x_range, x_range];
    "regression" plots MSE, MAE, MSLE and MAPE / 100 of a prediction p against the error
    p - t, for a fixed positive ``target`` t (MSLE and MAPE depend on t, not on p - t alone).
    axes: two Axes to draw into, or None for a new figure.
    """
    check_choice(kind, "kind", "plot_losses", LOSS_KINDS)
    x_range = check_real(x_range, "x_range", "plot_losses", minimum=0.1, maximum=100.0)
    target = check_real(target, "target", "plot_losses", minimum=0.01, maximum=100.0)
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
    if len(axes) != 2:
        raise ValueError(f"plot_losses expects axes to be two Axes (loss, derivative); got {len(axes)}.")
    ax_loss, ax_grad = axes
    x = np.linspace(-x_range, x_range, 401)
    curves = _loss_curves(kind, x, target)
    for label, (values, slopes) in curves.items():
        style = dict(color=_LOSS_COLOURS[label], lw=1.5, ls=":" if label == "logistic / log 2" else "-")
        ax_loss.plot(x, values, label=label, **style)
        ax_grad.plot(x, slopes, label=label, **style)
    if kind == "margin":
        xlabel, loss_limits, grad_limits = "margin m = t p", (-0.1, 4.0), (-3.0, 1.0)
    else:
        # scaled to MSE, the steepest of the four except MSLE next to p = -1, where it explodes
        top = 1.05 * x_range**2
        xlabel = f"error p - t (t = {target:g})"
        loss_limits, grad_limits = (-0.03 * top, top), (-2.1 * x_range, 2.1 * x_range)
    ax_loss.set(xlabel=xlabel, ylabel="loss of one example", ylim=loss_limits, title="losses")
    ax_grad.set(xlabel=xlabel, ylabel="derivative", ylim=grad_limits,
                title="derivatives (dL/dm)" if kind == "margin" else "derivatives (dL/dp)")
    for ax in axes:
        ax.axhline(0, color="black", lw=0.5)
        ax.axvline(0, color="black", lw=0.5)
        ax.set_xlim(-x_range, x_range)
    ax_loss.legend(loc="best", fontsize="small")
    return axes


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()


def activation_explorer(activation: str = "sigmoid", negative_slope: float = 0.01, z_range: float = 6.0):
    """Widgets to explore the activations and the losses; returns a VBox to display.

    Tab "activations": a dropdown of ``ACTIVATION_CHOICES``, sliders for the input range,
    leaky ReLU's negative slope, and a number of layers L. Left, g(z) and g'(z); right,
    |g'(z)|^L on a log scale: the factor a gradient picks up passing back through L layers
    whose units all sit at the same z (how fast sigmoid's at most 1/4 per layer vanishes).
    Tab "losses": the margin losses or the regression losses with their derivatives.

    The pictures are drawn on matplotlib Figures outside pyplot (nothing is left open) and
    shown as PNGs in Image widgets; the latest Figures are kept as
    ``explorer.activation_figure`` and ``explorer.loss_figure``.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    check_choice(activation, "activation", "activation_explorer", ACTIVATION_CHOICES)
    negative_slope = check_real(negative_slope, "negative_slope", "activation_explorer", minimum=0.0, maximum=0.5)
    z_range = check_real(z_range, "z_range", "activation_explorer", minimum=1.0, maximum=20.0)

    slider = dict(continuous_update=False, style={"description_width": "initial"})
    choice = widgets.Dropdown(options=list(ACTIVATION_CHOICES), value=activation, description="activation")
    range_slider = widgets.FloatSlider(value=z_range, min=1.0, max=20.0, step=0.5, description="z range", **slider)
    slope_slider = widgets.FloatSlider(value=negative_slope, min=0.0, max=0.5, step=0.01,
                                       description="leaky slope", **slider)
    layers_slider = widgets.IntSlider(value=10, min=1, max=30, description="layers L", **slider)
    # Image rather than Output widgets: a redraw replaces bytes and never routes display()
    # through the kernel's output capture, which can stall nbclient (jupyter/nbclient#312).
    activation_picture = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="900px"))

    kind_choice = widgets.ToggleButtons(options=[("margin t p (classification)", "margin"),
                                                 ("error p - t (regression)", "regression")], value="margin")
    x_slider = widgets.FloatSlider(value=3.0, min=0.5, max=10.0, step=0.5, description="x range", **slider)
    target_slider = widgets.FloatSlider(value=2.0, min=0.1, max=10.0, step=0.1, description="target t", **slider)
    loss_picture = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="900px"))

    def redraw_activation(_change=None):
        slope_slider.disabled = choice.value != "leaky_relu"
        figure = Figure(figsize=(10, 3.6), layout="constrained")
        ax_curve, ax_depth = figure.subplots(1, 2)
        plot_activation(choice.value, ax=ax_curve, z_range=range_slider.value, negative_slope=slope_slider.value)
        z = np.linspace(-range_slider.value, range_slider.value, 801)
        _, slope = _activation_curves(choice.value, z, slope_slider.value)
        with np.errstate(under="ignore"):
            product = np.maximum(np.abs(slope) ** layers_slider.value, _LOG_FLOOR)
        ax_depth.plot(z, product, color="#D55E00")
        ax_depth.set(yscale="log", ylim=(_LOG_FLOOR, 10.0), xlim=(z[0], z[-1]), xlabel="z",
                     title=f"$|g'(z)|^{{{layers_slider.value}}}$: gradient factor through {layers_slider.value} layers")
        ax_depth.axhline(1.0, color="black", lw=0.5)
        activation_picture.value = _png(figure)
        explorer.activation_figure = figure

    def redraw_losses(_change=None):
        target_slider.disabled = kind_choice.value != "regression"
        figure = Figure(figsize=(10, 3.6), layout="constrained")
        plot_losses(kind_choice.value, axes=figure.subplots(1, 2), x_range=x_slider.value, target=target_slider.value)
        loss_picture.value = _png(figure)
        explorer.loss_figure = figure

    for control in (choice, range_slider, slope_slider, layers_slider):
        control.observe(redraw_activation, names="value")
    for control in (kind_choice, x_slider, target_slider):
        control.observe(redraw_losses, names="value")

    activation_tab = widgets.VBox([widgets.HBox([choice, range_slider]), widgets.HBox([slope_slider, layers_slider]),
                                   activation_picture])
    loss_tab = widgets.VBox([kind_choice, widgets.HBox([x_slider, target_slider]), loss_picture])
    tabs = widgets.Tab(children=[activation_tab, loss_tab], titles=("activations", "losses"))
    explorer = widgets.VBox([tabs])
    redraw_activation()
    redraw_losses()
    return explorer
