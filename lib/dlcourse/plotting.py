"""Plots the lectures draw again and again: decision boundaries, training curves, image grids.

Every helper draws into an Axes or Figure and returns it; none calls ``plt.show()``, writes
a file or changes matplotlib's global settings, except ``use_palette``, which a lecture's setup
cell calls once. Figures are made with pyplot, so in a
notebook they appear at the end of the cell like any other plot (end the cell with
``plt.show()``, as the lectures do, rather than with the returned object, which Jupyter
would show a second time).

Inputs may be NumPy arrays, lists or torch tensors (detached and copied to the CPU).
"""
from __future__ import annotations

import math
import numbers
import os
import sys
import time
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, Normalize, to_rgb
from matplotlib.ticker import MaxNLocator

from ._validation import check_array, check_instance, check_int, check_real, shown

__all__ = ["OKABE_ITO", "use_palette", "decision_boundary", "plot_history", "TrainingCurves", "image_grid"]

# Eight colours that readers with red-green colour blindness (deuteranopia, protanopia) still
# tell apart (Okabe & Ito 2008): black first for a reference line, then the categorical colours.
OKABE_ITO = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
# The order series are drawn in: the seven colours, yellow last (it is faint on white), black for the eighth.
_SERIES_ORDER = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000", "#F0E442")

# Series this short get a marker on each point, so a curve of a few epochs shows its points.
_MARKER_MAX_POINTS = 30


def use_palette() -> None:
    """Draw every following series of matplotlib in colours that colour-blind readers can tell apart.

    Sets ``axes.prop_cycle`` to the Okabe-Ito colours (blue, vermillion, green, purple, sky blue,
    orange, black, yellow): the one global setting the course changes, from each lecture's setup cell.
    """
    from cycler import cycler

    plt.rcParams["axes.prop_cycle"] = cycler(color=list(_SERIES_ORDER))


# ----------------------------------------------------------------------- decision boundary
def decision_boundary(predict, X, y=None, ax=None, resolution=200, padding=0.5, title=None):
    """Shade the plane by a classifier's output and scatter the data on top.

    predict: callable taking a NumPy array of shape (m, 2) (the grid points, in X's float
        dtype) and returning shape (m,) or (m, 1). What it returns decides the picture:
        - class labels (integers, booleans, or floats that are all whole numbers): each
          region is filled in its class's colour, with a thin line where the label changes;
        - scores (any other floats): shaded by value, with the decision line drawn at 0.5
          when every value lies in [0, 1] (probabilities) and at 0 otherwise (e.g. w.x + b).
        For a model returning class probabilities of shape (m, k), pass
        ``lambda P: model(P).argmax(axis=1)``.
    X: (n, 2) points; the grid covers them with ``padding`` to spare on every side.
    y: (n,) labels of the points, or None to draw them all in black. Classes are coloured
        in sorted order with matplotlib's tab10 colours (the same colours as the regions).
    ax: Axes to draw into; None makes a new figure.
    resolution: grid points per axis, so predict sees resolution**2 points.
    Returns the Axes.
    """
    if not callable(predict):
        raise TypeError(f"decision_boundary expects predict to be a function of an (m, 2) array; "
                        f"got {type(predict).__name__}.")
    X = check_array(X, "X", "decision_boundary", dtype=None)  # float32 stays float32 for a torch model
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] == 0:
        raise ValueError(f"decision_boundary expects X of shape (n, 2); got shape {X.shape}.")
    if y is not None:
        y = _to_numpy(y)
        if y.size != len(X) or (y.ndim == 2 and y.shape[1] != 1) or y.ndim > 2:
            raise ValueError(f"decision_boundary expects y with one label per point, shape ({len(X)},); "
                             f"got shape {y.shape}.")
        y = y.ravel()
    resolution = check_int(resolution, "resolution", "decision_boundary", minimum=2)
    padding = check_real(padding, "padding", "decision_boundary", minimum=0)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4), layout="constrained")

    dtype = X.dtype if X.dtype == np.float32 else np.float64  # float32 X: torch.from_numpy works as is
    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    x1 = np.linspace(low[0], high[0], resolution, dtype=dtype)
    x2 = np.linspace(low[1], high[1], resolution, dtype=dtype)
    grid_x1, grid_x2 = np.meshgrid(x1, x2)                    # (resolution, resolution) each
    grid = np.column_stack([grid_x1.ravel(), grid_x2.ravel()])  # (resolution**2, 2)

    out = _to_numpy(predict(grid))
    m = len(grid)
    if out.size != m or out.ndim > 2 or (out.ndim == 2 and out.shape[1] != 1):
        raise ValueError(
            f"decision_boundary expects predict to return one value per point, shape ({m},) or ({m}, 1); "
            f"got shape {out.shape}. For class probabilities return probs.argmax(axis=1)."
        )
    out = out.reshape(grid_x1.shape)

    if _are_labels(out):
        classes = np.unique(out if y is None else np.concatenate([out.ravel(), y]))
        colours = _class_colours(len(classes))
        region = np.searchsorted(classes, out)  # class index 0..k-1 at each grid point
        ax.contourf(grid_x1, grid_x2, region, levels=np.arange(len(classes) + 1) - 0.5,
                    colors=[_lighten(c) for c in colours])
        present = np.unique(region)
        if len(present) > 1:
            ax.contour(grid_x1, grid_x2, region, levels=np.arange(present[0], present[-1]) + 0.5,
                       colors="black", linewidths=0.8)
    else:
        classes = np.unique(y) if y is not None else np.array([0, 1])
        colours = _class_colours(max(len(classes), 2))
        if np.nanmin(out) >= 0 and np.nanmax(out) <= 1:
            threshold, norm = 0.5, Normalize(0.0, 1.0)
        else:
            # symmetric around 0, so white always marks the decision line
            reach = float(np.nanmax(np.abs(out))) or 1.0
            threshold, norm = 0.0, Normalize(-reach, reach)
        # low scores in the first class's colour, high scores in the second's
        shades = LinearSegmentedColormap.from_list("scores", [_lighten(colours[0]), "white", _lighten(colours[1])])
        ax.contourf(grid_x1, grid_x2, out, levels=np.linspace(norm.vmin, norm.vmax, 21), cmap=shades, norm=norm)
        if np.nanmin(out) < threshold < np.nanmax(out):
            ax.contour(grid_x1, grid_x2, out, levels=[threshold], colors="black", linewidths=1.5)

    size = 25 if len(X) <= 300 else 10
    if y is None:
        ax.scatter(X[:, 0], X[:, 1], s=size, color="black")
    else:
        for index, label in enumerate(classes):
            chosen = y == label
            if chosen.any():
                ax.scatter(X[chosen, 0], X[chosen, 1], s=size, color=colours[index], edgecolors="black",
                           linewidths=0.5, label=f"class {label}")
        ax.legend(loc="best", fontsize="small")
    ax.set(xlim=(low[0], high[0]), ylim=(low[1], high[1]), xlabel="$x_1$", ylabel="$x_2$")
    if title is not None:
        ax.set_title(title)
    return ax


def _are_labels(values: np.ndarray) -> bool:
    """True if predict's output reads as class labels rather than scores."""
    if values.dtype.kind in "biu":
        return True
    if values.dtype.kind != "f":
        return True  # strings or objects: nothing to shade by, so they can only be labels
    return bool(np.all(np.isfinite(values)) and np.all(values == np.round(values)))


def _lighten(colour, amount=0.65):
    """The colour mixed with white, so regions stay pale behind the points.

    Mixing instead of alpha: translucent neighbouring patches of contourf overlap at their
    edges and show seams.
    """
    return tuple(np.asarray(to_rgb(colour)) * (1 - amount) + amount)


def _class_colours(k: int) -> list:
    """k distinct colours: the Okabe-Ito colours up to eight classes, tab20 up to twenty, a rainbow beyond."""
    if k <= len(_SERIES_ORDER):
        return [to_rgb(c) for c in _SERIES_ORDER[:k]]
    if k <= 20:
        return list(plt.colormaps["tab20"].colors[:k])
    return [plt.colormaps["turbo"](t) for t in np.linspace(0, 1, k)]


# ------------------------------------------------------------------------- static curves
def plot_history(history, ax=None, xlabel="epoch", logy=False, title=None):
    """Draw training curves, one line per series, the first value at x = 1.

    history: mapping series name -> sequence of numbers, e.g.
        {"train loss": [...], "test loss": [...]}; a Keras ``History`` works too.
    logy: use a logarithmic y axis (losses that fall over orders of magnitude).
    Returns the Axes.
    """
    if hasattr(history, "history") and isinstance(history.history, Mapping):
        history = history.history  # keras.callbacks.History
    allowed = "a non-empty mapping of series name -> sequence of numbers, e.g. {'train loss': [0.9, 0.5]}"
    check_instance(history, "history", "plot_history", Mapping, allowed)
    if not history:
        raise ValueError(f"plot_history expects history to be {allowed}; got an empty one.")
    curves = {}
    for name, values in history.items():
        values = check_array(values, f"series {name!r}", "plot_history", dtype=None)
        if values.ndim != 1:
            raise ValueError(f"plot_history expects each series to be a 1-D sequence of numbers; "
                             f"series {name!r} has shape {values.shape}.")
        curves[name] = values
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
    for name, values in curves.items():
        marker = "o" if len(values) <= _MARKER_MAX_POINTS else None
        ax.plot(np.arange(1, len(values) + 1), values, marker=marker, markersize=3, label=str(name))
    _style_curve_axes(ax, xlabel, logy)
    if title is not None:
        ax.set_title(title)
    return ax


def _style_curve_axes(ax, xlabel: str, logy: bool) -> None:
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs and steps are whole numbers
    if logy:
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize="small")


# --------------------------------------------------------------------------- live curves
class TrainingCurves:
    """Training curves that redraw in place while a model trains.

    Inside a Jupyter notebook the figure appears at the first ``update`` and is redrawn in
    place, at most once every ``every`` seconds. Elsewhere (scripts, tests, or with the
    environment variable ``DLCOURSE_LIVE=0``) nothing is rendered while training; ``finish``
    draws the whole run once. Every value is recorded either way: only drawing is throttled.

    metrics: which subplots to draw and which series each holds.
        - a name or a sequence of names, e.g. ("loss", "accuracy"): one subplot per name,
          holding a single series of that name;
        - a dict subplot title -> series names, e.g.
          {"loss": ["train loss", "test loss"], "accuracy": ["train acc", "test acc"]}.
    xlabel: what the steps count, shown on each x axis.
    every: minimum seconds between two redraws in live mode; 0 redraws on every update.
    live: True, False, or None for automatic: live inside a Jupyter (ipykernel) kernel
        unless ``DLCOURSE_LIVE`` is "0".
    title: title of the whole figure.

    Attributes: ``history[name]`` is the list of values recorded for series ``name`` and
    ``steps[name]`` the steps they were recorded at (series may be recorded at different
    steps, e.g. a test loss every fifth epoch). ``figure`` is the Figure and ``axes`` maps
    each subplot title to its Axes.

    Example::

        with TrainingCurves({"loss": ["train loss", "test loss"]}) as curves:
            for epoch in range(1, 21):
                ...
                curves.update(epoch, {"train loss": train_loss, "test loss": test_loss})

    Names that are valid Python identifiers may be given as keywords:
    ``curves.update(epoch, loss=loss)``.
    """

    def __init__(self, metrics=("loss",), xlabel="epoch", every=0.5, live=None, title=None):
        self.panels = _check_panels(metrics)  # subplot title -> list of series names
        self.every = check_real(every, "every", "TrainingCurves", minimum=0,
                                allowed="a non-negative number of seconds")
        check_instance(live, "live", "TrainingCurves", (bool, type(None)), "True, False or None (automatic)")
        if live is None:
            live = _in_jupyter_kernel() and os.environ.get("DLCOURSE_LIVE", "1") != "0"
        self.live = live
        self.series = [name for names in self.panels.values() for name in names]
        self.history = {name: [] for name in self.series}
        self.steps = {name: [] for name in self.series}

        width = len(self.panels)
        self.figure, axes = plt.subplots(1, width, figsize=(max(6.0, 4.5 * width), 3.5),
                                         layout="constrained", squeeze=False)
        if self.live:
            # We display the figure ourselves; closing it stops the inline backend from
            # showing a second, stale copy at the end of the cell.
            plt.close(self.figure)
        self.axes = dict(zip(self.panels, axes[0]))
        self._lines = {}
        for panel, ax in self.axes.items():
            for name in self.panels[panel]:
                (self._lines[name],) = ax.plot([], [], markersize=3, label=name)
            ax.set_title(panel)
            _style_curve_axes(ax, xlabel, logy=False)
        if title is not None:
            self.figure.suptitle(title)
        self._display = None          # IPython display handle, once shown
        self._last_render = -math.inf  # time.monotonic() of the last live redraw

    def update(self, step, values=None, /, **named):
        """Record one value per given series at ``step`` and, in live mode, maybe redraw.

        step: a number (epoch or iteration); values: dict series name -> number (Python,
        NumPy or 0-d torch scalar); keywords add more series, e.g. ``update(3, loss=0.2)``.
        """
        check_real(step, "step", "TrainingCurves.update")
        given = {**(values or {}), **named}
        unknown = [name for name in given if name not in self.history]
        if unknown:
            allowed = ", ".join(repr(name) for name in self.series)
            raise ValueError(f"TrainingCurves.update got unknown series {', '.join(map(repr, unknown))}; "
                             f"the series are {allowed} (set by metrics=... when the curves were made).")
        numbers_ = {name: _as_float(name, value) for name, value in given.items()}
        for name, value in numbers_.items():
            self.history[name].append(value)
            self.steps[name].append(step)
        if self.live and time.monotonic() - self._last_render >= self.every:
            self._render()

    def finish(self):
        """Draw every recorded point (in live mode: one last redraw) and return the Figure.

        In a notebook the figure is already on screen, so call ``finish()`` inside a cell
        (or leave the ``with`` block) rather than ending the cell with it, which shows it twice.
        """
        self._draw()
        if self.live:
            self._render()
        return self.figure

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.finish()
        return False  # an exception inside the with-block still propagates

    def _draw(self):
        """Copy the recorded values into the lines and rescale the axes."""
        for name, line in self._lines.items():
            line.set_data(self.steps[name], self.history[name])
            line.set_marker("o" if len(self.history[name]) <= _MARKER_MAX_POINTS else "")
        for ax in self.axes.values():
            ax.relim()
            ax.autoscale_view()

    def _render(self):
        """Show the figure in the notebook, or replace the copy shown before."""
        from IPython.display import display

        self._draw()
        if self._display is None:
            self._display = display(self.figure, display_id=True)
        else:
            self._display.update(self.figure)
        self._last_render = time.monotonic()


def _check_panels(metrics) -> dict[str, list[str]]:
    """Normalise ``metrics`` to an ordered dict subplot title -> series names, or raise."""
    expected = ('a name, a sequence of names such as ("loss", "accuracy"), or a dict such as '
                '{"loss": ["train loss", "test loss"]}')
    if isinstance(metrics, str):
        metrics = (metrics,)
    if isinstance(metrics, Mapping):
        panels = {str(title): [names] if isinstance(names, str) else list(names) for title, names in metrics.items()}
    elif isinstance(metrics, (list, tuple)):
        panels = {name: [name] for name in metrics}
    else:
        raise TypeError(f"TrainingCurves expects metrics to be {expected}; got {shown(metrics)}.")
    series = [name for names in panels.values() for name in names]
    if not panels or not all(panels.values()) or not all(isinstance(name, str) and name for name in series):
        raise ValueError(f"TrainingCurves expects metrics to be {expected}, with non-empty names; got {metrics!r}.")
    repeated = sorted({name for name in series if series.count(name) > 1})
    if repeated or len(panels) != len(metrics):
        raise ValueError(f"TrainingCurves expects each series name once; got {metrics!r}.")
    return panels


def _in_jupyter_kernel() -> bool:
    """True inside an ipykernel kernel (JupyterLab, VS Code, Colab), False in scripts and terminals."""
    zmqshell = sys.modules.get("ipykernel.zmqshell")  # never imported outside a kernel
    if zmqshell is None:
        return False
    from IPython import get_ipython

    return isinstance(get_ipython(), zmqshell.ZMQInteractiveShell)


def _as_float(name: str, value) -> float:
    if hasattr(value, "item") and getattr(value, "ndim", 0) == 0:
        value = value.item()  # NumPy and torch scalars
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"TrainingCurves.update expects a number for series {name!r}; "
                        f"got {shown(value)}. Pass loss.item() for a tensor.")
    return float(value)


# ---------------------------------------------------------------------------- image grid
def image_grid(images, labels=None, ncols=10, cmap="gray", title=None, scale=1.0, row_labels=None):
    """Show images as tiles on a grid, ``ncols`` per row, with optional labels above them.

    images: (N, H, W) or (N, 1, H, W) grey images, (N, H, W, 3) or (N, 3, H, W) colour
        images, or flat (N, D) rows with D a perfect square (784 -> 28 x 28).
        Grey images share one colour scale, from the smallest to the largest value of the
        batch; float colour images outside [0, 1] are rescaled to [0, 1] together.
    labels: N labels (numbers or strings) shown above the tiles, or None.
    row_labels: one label per row, written left of the row (e.g. the digit a generator was
        asked for), or None.
    scale: size of one tile in inches.
    Returns the Figure.
    """
    array = _to_numpy(images)
    tiles = _as_tiles(array)  # (N, H, W) or (N, H, W, 3)
    count = len(tiles)
    if labels is not None:
        labels = list(_to_numpy(labels).ravel()) if not isinstance(labels, (list, tuple)) else list(labels)
        if len(labels) != count:
            raise ValueError(f"image_grid expects one label per image ({count}); got {len(labels)} labels.")
    ncols = check_int(ncols, "ncols", "image_grid", minimum=1)
    scale = check_real(scale, "scale", "image_grid", minimum=0, open_minimum=True)

    columns = min(ncols, count)
    rows = math.ceil(count / columns)
    if row_labels is not None:
        row_labels = [str(label) for label in row_labels]
        if len(row_labels) != rows:
            raise ValueError(f"image_grid expects one row label per row ({rows} rows of {columns}); "
                             f"got {len(row_labels)} row labels.")
    label_space = 0.25 if labels is not None else 0.05  # inches above each tile
    title_space = 0.4 if title is not None else 0.0
    # inches left of the tiles for the row labels: about 0.07 per character of the longest
    row_space = 0.2 + 0.07 * max(map(len, row_labels)) if row_labels is not None else 0.0
    width, height = columns * scale * 1.05 + row_space, rows * (scale + label_space) + title_space + 0.1
    fig, axes = plt.subplots(rows, columns, figsize=(width, height), squeeze=False)
    # Fixed margins rather than constrained layout, which takes seconds for a hundred tiles.
    fig.subplots_adjust(left=0.01 + row_space / width, right=0.99, bottom=0.05 / height, top=1 - (title_space + label_space) / height,
                        wspace=0.05, hspace=label_space / scale)
    if tiles.ndim == 3:
        shown = dict(cmap=cmap, vmin=tiles.min(), vmax=tiles.max())  # one scale: faint stays faint
    else:
        shown = {}
        if tiles.dtype.kind == "f" and (tiles.min() < 0 or tiles.max() > 1):
            tiles = (tiles - tiles.min()) / (tiles.max() - tiles.min() or 1.0)
    for index, ax in enumerate(axes.ravel()):
        ax.set_axis_off()
        if index < count:
            ax.imshow(tiles[index], **shown)
            if labels is not None:
                ax.set_title(str(labels[index]), fontsize=9)
    for row, name in enumerate(row_labels or []):
        axes[row, 0].text(-0.08, 0.5, name, transform=axes[row, 0].transAxes, ha="right", va="center",
                          fontsize="small")
    if title is not None:
        fig.suptitle(title)
    return fig


def _as_tiles(array: np.ndarray) -> np.ndarray:
    """Reshape an image batch to (N, H, W) grey or (N, H, W, 3) colour, or raise."""
    expected = ("image_grid expects images of shape (N, H, W), (N, 1, H, W), (N, H, W, 3), (N, 3, H, W) "
                "or flat (N, D) with D a perfect square")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{expected}, holding numbers; got dtype {array.dtype}.")
    if array.ndim < 2 or array.shape[0] == 0:
        raise ValueError(f"{expected}; got shape {array.shape}.")
    if array.ndim == 2:
        side = math.isqrt(array.shape[1])
        if side * side != array.shape[1]:
            raise ValueError(f"{expected}; got shape {array.shape}, and {array.shape[1]} is not a perfect square.")
        return array.reshape(-1, side, side)  # (N, D) -> (N, H, W)
    if array.ndim == 3:
        return array
    if array.ndim == 4 and array.shape[-1] == 3:
        return array
    if array.ndim == 4 and array.shape[1] == 1:
        return array[:, 0]  # (N, 1, H, W) -> (N, H, W)
    if array.ndim == 4 and array.shape[1] == 3:
        return array.transpose(0, 2, 3, 1)  # (N, 3, H, W) -> (N, H, W, 3), channels last for imshow
    raise ValueError(f"{expected}; got shape {array.shape}.")


# ------------------------------------------------------------------------ shared helpers
def _to_numpy(values) -> np.ndarray:
    """A NumPy array from an array, a list or a (CPU or GPU, grad or not) torch tensor."""
    if hasattr(values, "detach") and hasattr(values, "cpu"):
        values = values.detach().cpu().numpy()
    return np.asarray(values)
