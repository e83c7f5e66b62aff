"""Hand-made convolution kernels applied to an image, and an explorer to edit them (lecture 07).

Before networks learned their filters, image processing designed them by hand: a small
grid of weights slides over the image and each output pixel is the weighted sum of the
pixels under it (a cross-correlation, as in ``dlcourse.nn.conv2d``)::

    out[i, j] = sum_{m, n} image_pad[i + m, j + n] * kernel[m, n]

- ``KERNEL_PRESETS``      the classic 3x3 kernels: identity, blurs, sharpen, edge detectors, emboss
- ``apply_kernel``        one kernel over a grey or colour image, output the size of the input
- ``plot_kernel_effect``  input, kernel (with its numbers) and output side by side
- ``kernel_explorer``     the same picture with the nine weights and a preset menu as widgets
"""
from __future__ import annotations

import io

import numpy as np

from .._validation import check_array, check_choice
from ..nn.conv import conv2d

__all__ = ["kernel_explorer", "apply_kernel", "plot_kernel_effect", "KERNEL_PRESETS"]

KERNEL_PRESETS = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float),
    "box blur": np.full((3, 3), 1 / 9),
    "gaussian blur": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=float) / 16,
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
    "edge detection": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], dtype=float),
    "sobel x (vertical edges)": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float),
    "sobel y (horizontal edges)": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float),
    "emboss": np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], dtype=float),
}
_CUSTOM = "custom"  # the menu's entry once a weight no longer matches the chosen preset


def apply_kernel(image, kernel):
    """Cross-correlate an image with a kernel; the output has the size of the input.

    image: (H, W) grey or (H, W, C) with C channels (3 for colour), real values; each channel
        is filtered on its own.
    kernel: (kh, kw) weights with kh and kw odd, so that the kernel has a centre pixel.
    The border is padded by repeating the edge pixels (kh // 2 rows, kw // 2 columns on each
    side), so a blur keeps the image's brightness up to the edge instead of fading to black.
    Returns an array of the image's shape, float64 (values are not clipped: an edge
    detector gives negative numbers).
    """
    image = check_array(image, "image", "apply_kernel", dtype=None)
    kernel = check_array(kernel, "kernel", "apply_kernel", dtype=None)
    if image.ndim not in (2, 3) or min(image.shape) == 0:
        raise ValueError(f"apply_kernel expects image of shape (H, W) or (H, W, C); got shape {image.shape}.")
    if kernel.ndim != 2 or kernel.shape[0] % 2 == 0 or kernel.shape[1] % 2 == 0:
        raise ValueError(f"apply_kernel expects kernel of shape (kh, kw) with kh and kw odd (3x3, 5x5, ...), so it "
                         f"has a centre pixel; got shape {kernel.shape}.")
    kh, kw = kernel.shape
    channels = image[:, :, None] if image.ndim == 2 else image  # (H, W, C)
    padded = np.pad(channels, ((kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)), mode="edge")
    x = padded.transpose(2, 0, 1)[:, None].astype(np.float64)  # (C, 1, H + kh - 1, W + kw - 1): channels as a batch
    out = conv2d(x, kernel[None, None].astype(np.float64))  # (C, 1, H, W)
    out = out[:, 0].transpose(1, 2, 0)  # (H, W, C)
    return out[:, :, 0] if image.ndim == 2 else out


def plot_kernel_effect(image, kernel, axes=None, rescale=False, title=None):
    """Draw the image, the kernel with its weights written in, and the filtered image.

    image: (H, W) or (H, W, 3) with values in [0, 1]; kernel: (kh, kw), odd sizes.
    axes: three matplotlib Axes to draw on, or None for a new pyplot figure.
    rescale: False shows the output clipped to [0, 1] (what an image editor shows);
        True stretches the output's own range to black..white, which shows negative
        responses too (edge detectors).
    title: the output panel's title; None says how the output was scaled.
    Returns the three Axes.
    """
    filtered = apply_kernel(image, kernel)
    if axes is None:
        import matplotlib.pyplot as plt

        axes = _three_panels(plt.figure(figsize=(10, 3.6)))
    if len(axes) != 3:
        raise ValueError(f"plot_kernel_effect expects three Axes (input, kernel, output); got {len(axes)}.")
    _draw_effect(axes, np.asarray(image), np.asarray(kernel, dtype=float), filtered, rescale, title)
    return axes


def _draw_effect(axes, image, kernel, filtered, rescale, title=None):
    """Input, kernel and the already filtered image on three Axes (the explorer computes ``filtered`` once)."""
    ax_in, ax_kernel, ax_out = axes
    grey = dict(cmap="gray", vmin=0.0, vmax=1.0)
    ax_in.imshow(np.clip(image, 0.0, 1.0), **grey)
    ax_in.set_title("input")
    _draw_kernel(ax_kernel, kernel)
    if rescale:
        low, high = filtered.min(), filtered.max()
        shown = (filtered - low) / (high - low) if high > low else np.zeros_like(filtered)
        label = f"output, rescaled from [{low:.2f}, {high:.2f}]"
    else:
        shown = np.clip(filtered, 0.0, 1.0)
        label = "output, clipped to [0, 1]"
    ax_out.imshow(shown, **grey)
    ax_out.set_title(label if title is None else title)
    for ax in (ax_in, ax_out):
        ax.set_axis_off()


def _three_panels(figure):
    """Input, kernel and output Axes in a row; fixed margins, since a constrained layout doubles the drawing time."""
    figure.subplots_adjust(left=0.01, right=0.99, bottom=0.03, top=0.9, wspace=0.08)
    return figure.subplots(1, 3, gridspec_kw={"width_ratios": [1, 0.6, 1]})


def _draw_kernel(ax, kernel):
    """The kernel as a grid of coloured cells (red positive, blue negative), each with its weight."""
    limit = np.abs(kernel).max() or 1.0
    ax.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit)
    for (row, column), weight in np.ndenumerate(kernel):
        ax.text(column, row, f"{weight:.3g}", ha="center", va="center", fontsize=11)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"kernel (sum {kernel.sum():.3g})")


def kernel_explorer(image=None, preset="sharpen"):
    """Widgets to edit a 3x3 kernel and see what it does to an image; returns a VBox to display.

    image: None (the photographer of ``datasets.image("camera")``, grey, 256x256), the name of a ``dlcourse.datasets.image``
        (camera, astronaut, cat, coffee, rocket, brick, grass, gravel; shown at 256x256),
        or an array (H, W) or (H, W, 3) with values in [0, 1].
    preset: the kernel to start from, a key of ``KERNEL_PRESETS``.
    The nine weights are number boxes; the menu fills them with a preset (and says "custom"
    once a weight is changed by hand); a check box rescales the output to its own range.
    The picture is drawn on a matplotlib Figure outside pyplot and shown as a PNG in an
    Image widget. The latest state is kept on the returned box: ``explorer.kernel`` (3, 3),
    ``explorer.output`` (what ``apply_kernel`` returned) and ``explorer.figure``.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    picture_in = _explorer_image(image)
    check_choice(preset, "preset", "kernel_explorer", KERNEL_PRESETS)

    menu = widgets.Dropdown(options=[*KERNEL_PRESETS, _CUSTOM], value=preset, description="preset")
    entries = [widgets.FloatText(value=float(w), step=0.1, layout=widgets.Layout(width="70px"))
               for w in KERNEL_PRESETS[preset].ravel()]
    grid = widgets.GridBox(entries, layout=widgets.Layout(grid_template_columns="repeat(3, 75px)"))
    rescale = widgets.Checkbox(value=False, description="rescale output to its range")
    # An Image, not an Output widget: replacing its bytes never routes a display() through the
    # kernel's output capture, which can stall nbclient (jupyter/nbclient#312).
    picture = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="900px"))
    filling = False  # True while a preset writes the nine entries: redraw once, not nine times

    def redraw(_change=None):
        kernel = np.array([entry.value for entry in entries], dtype=float).reshape(3, 3)
        filtered = apply_kernel(picture_in, kernel)
        figure = Figure(figsize=(10, 3.6))
        _draw_effect(_three_panels(figure), picture_in, kernel, filtered, rescale.value)
        png = io.BytesIO()
        figure.savefig(png, format="png", dpi=72)
        picture.value = png.getvalue()
        explorer.kernel, explorer.output, explorer.figure = kernel, filtered, figure

    def choose_preset(change):
        nonlocal filling
        if change["new"] == _CUSTOM:
            return
        filling = True
        for entry, weight in zip(entries, KERNEL_PRESETS[change["new"]].ravel()):
            entry.value = float(weight)
        filling = False
        redraw()

    def edit_weight(_change):
        if filling:
            return
        kernel = np.array([entry.value for entry in entries]).reshape(3, 3)
        if menu.value != _CUSTOM and not np.allclose(kernel, KERNEL_PRESETS[menu.value]):
            menu.value = _CUSTOM  # choose_preset ignores this
        redraw()

    menu.observe(choose_preset, names="value")
    for entry in entries:
        entry.observe(edit_weight, names="value")
    rescale.observe(redraw, names="value")
    explorer = widgets.VBox([widgets.HBox([widgets.VBox([menu, rescale]), grid]), picture])
    redraw()
    return explorer


def _explorer_image(image):
    """The explorer's picture as a float array in [0, 1], from None, a name or an array."""
    if image is None or isinstance(image, str):
        from .. import datasets

        return datasets.image("camera" if image is None else image, size=256)
    array = check_array(image, "image", "kernel_explorer", dtype=None)
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] != 3):
        raise ValueError(f"kernel_explorer expects image of shape (H, W) or (H, W, 3); got shape {array.shape}.")
    return array
