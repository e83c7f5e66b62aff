"""Looking at what a GAN learned (lectures 11 and 12).

A GAN's losses say little about its samples (both players keep moving), so the lectures
judge a generator by its samples themselves:

- ``mode_coverage``    the share of samples near each mode of a mixture, so "how many of the
                       8 modes of the ring does the generator still produce?" is a number
- ``plot_density_1d``  the 1-D picture of Goodfellow et al. (2014): data density, model
                       density (or a histogram of samples) and the discriminator D(x)
- ``plot_samples_2d``  real and generated points in the plane, with the mixture's centres
"""
from __future__ import annotations

import numpy as np

from .._validation import check_array, check_real

__all__ = ["mode_coverage", "plot_density_1d", "plot_samples_2d"]


def mode_coverage(samples, centres, std):
    """The share of samples that lie within 3 standard deviations of each mode of a mixture.

    samples: (N, d) points (array or tensor); centres: (K, d) mode centres; std: the modes'
    standard deviation. A sample counts for the nearest centre if its distance is at most
    3 * std. Returns a (K,) NumPy array of fractions of all N samples (summing to at most 1);
    the rest are "between modes". A mode is *covered* if its share is not tiny, e.g.
    ``(mode_coverage(...) >= 0.02).sum()`` counts the modes a generator still produces.
    """
    samples = check_array(samples, "samples", "mode_coverage")
    centres = check_array(centres, "centres", "mode_coverage")
    if samples.ndim != 2 or centres.ndim != 2 or samples.shape[1] != centres.shape[1] or not len(samples):
        raise ValueError("mode_coverage expects samples (N, d) and centres (K, d) with the same d and N >= 1; "
                         f"got shapes {samples.shape} and {centres.shape}.")
    std = check_real(std, "std", "mode_coverage", minimum=0, open_minimum=True,
                     allowed="a positive standard deviation")
    distances = np.linalg.norm(samples[:, None, :] - centres[None, :, :], axis=2)  # (N, K)
    nearest = distances.argmin(axis=1)
    close = distances[np.arange(len(samples)), nearest] <= 3 * std
    return np.bincount(nearest[close], minlength=len(centres)) / len(samples)


def plot_density_1d(grid, p_data, p_model=None, model_samples=None, discriminator=None, ax=None, title=None):
    """The 1-D picture of Goodfellow et al. (2014): data density, model density, discriminator.

    grid: (G,) points on the x axis; p_data: (G,) the data density p* on the grid.
    p_model: (G,) the model density p_G on the grid, and/or model_samples: (M,) generated
        points, drawn as a normalised histogram.
    discriminator: (G,) values D(x) in [0, 1] on the grid, drawn on a second y axis with the
        level 1/2 it reaches at the equilibrium.
    Returns the Axes (the densities' axis).
    """
    import matplotlib.pyplot as plt

    grid = check_array(grid, "grid", "plot_density_1d")
    if grid.ndim != 1 or len(grid) < 2:
        raise ValueError(f"plot_density_1d expects grid of shape (G,) with G >= 2 points; got shape {grid.shape}.")
    curves = {"p_data": p_data, "p_model": p_model, "discriminator": discriminator}
    curves = {name: check_array(values, name, "plot_density_1d") for name, values in curves.items() if values is not None}
    for name, values in curves.items():
        if values.shape != grid.shape:
            raise ValueError(f"plot_density_1d expects {name} of shape {grid.shape}, one value per grid point; "
                             f"got shape {values.shape}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
    ax.plot(grid, curves["p_data"], color="black", lw=2, label="$p^*$ (data)")
    if "p_model" in curves:
        ax.plot(grid, curves["p_model"], color="#D55E00", lw=2, label="$p_G$ (model)")  # vermillion
    if model_samples is not None:
        ax.hist(check_array(model_samples, "model_samples", "plot_density_1d").ravel(), bins=50, range=(grid[0], grid[-1]), density=True,
                color="#D55E00", alpha=0.3, label="G(z) samples")
    ax.set(xlabel="x", ylabel="density")
    ax.set_ylim(bottom=0)
    handles, names = ax.get_legend_handles_labels()
    if "discriminator" in curves:
        twin = ax.twinx()
        (line,) = twin.plot(grid, curves["discriminator"], color="#0072B2", ls="--", lw=2, label="D(x)")
        twin.axhline(0.5, color="#0072B2", lw=0.8, ls=":")
        twin.set_ylim(0, 1.05)
        twin.set_ylabel("D(x)", color="#0072B2")
        handles, names = handles + [line], names + ["D(x)"]
    ax.legend(handles, names, loc="upper left", fontsize="small")
    if title is not None:
        ax.set_title(title)
    return ax


def plot_samples_2d(real=None, fake=None, centres=None, ax=None, title=None, limit=None):
    """Scatter 2-D real samples (grey) and generated samples (vermillion), optionally marking mode centres.

    real, fake: (N, 2) and (M, 2) points (arrays or tensors) or None; centres: (K, 2) or None,
    drawn as crosses; limit: half-width of the square view (None: matplotlib's choice).
    Returns the Axes.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4), layout="constrained")
    for name, points, style in (("real", real, dict(s=4, color="0.6", alpha=0.5)),
                                ("generated", fake, dict(s=4, color="#D55E00", alpha=0.5)),
                                ("centres", centres, dict(s=40, color="black", marker="x"))):
        if points is None:
            continue
        points = check_array(points, name, "plot_samples_2d")
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"plot_samples_2d expects {name} points of shape (N, 2); got shape {points.shape}.")
        ax.scatter(points[:, 0], points[:, 1], label=name, **style)
    if limit is not None:
        limit = check_real(limit, "limit", "plot_samples_2d", minimum=0, open_minimum=True)
        ax.set(xlim=(-limit, limit), ylim=(-limit, limit))
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize="medium")
    return ax
