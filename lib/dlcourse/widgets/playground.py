"""A small network trained on 2-D toy data, in the spirit of the TensorFlow Playground (lecture 02).

``train_playground`` draws a data set, splits it in half (train/test), trains a
``dlcourse.nn.MLP`` with Adam in mini-batches and returns a ``PlaygroundRun``;
``plot_playground`` draws the run's decision boundary and loss curves; ``playground`` wraps
both in widgets: pick the data, the noise, the width, depth and activation of the hidden
layers, the learning rate and the number of epochs, then press "Train".

Everything is NumPy and seeded: the same settings give the same run, click after click.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

import numpy as np

from .. import datasets
from .._validation import check_choice, check_flag, check_instance, check_int, check_real
from ..nn.mlp import MLP, count_parameters
from ..nn.optim import Adam
from ..nn.training import train

__all__ = ["playground", "train_playground", "plot_playground", "PlaygroundRun", "DATASETS", "ACTIVATIONS"]

DATASETS = ("xor", "spiral", "circles", "moons", "blobs")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "identity")

# Each data set's own noise parameter (see _make_data) and a value that shows it well.
DEFAULT_NOISE = {"xor": 0.2, "spiral": 0.2, "circles": 0.1, "moons": 0.15, "blobs": 0.8}
_BLOB_CENTRES = np.array([[-2.0, -1.2], [2.0, -1.2], [0.0, 2.0]])

# Limits of the controls; they keep one training click within about a second on a laptop CPU.
MAX_NOISE = 1.0
MAX_WIDTH = 32
MAX_DEPTH = 4
MAX_EPOCHS = 500
LR_RANGE = (1e-4, 1.0)
N_POINTS = 400  # half for training, half for testing
BATCH_SIZE = 32


@dataclass
class PlaygroundRun:
    """What one training click produced.

    model: the trained ``dlcourse.nn.MLP`` (softmax output, one unit per class).
    X_train, X_test: (200, 2) points; y_train, y_test: (200,) class labels.
    history: per-epoch lists "loss", "accuracy" (training set) and "val_loss",
        "val_accuracy" (test set), as returned by ``dlcourse.nn.train``.
    settings: the arguments of ``train_playground`` that made the run.
    """

    model: MLP
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    history: dict
    settings: dict = field(default_factory=dict)

    @property
    def train_accuracy(self) -> float:
        return self.history["accuracy"][-1]

    @property
    def test_accuracy(self) -> float:
        return self.history["val_accuracy"][-1]

    @property
    def n_parameters(self) -> int:
        return count_parameters(self.model.widths)

    def summary(self) -> str:
        """One line: the network, its size and both accuracies."""
        s = self.settings
        hidden = (f"{s['depth']} hidden layer{'s' if s['depth'] > 1 else ''} of {s['hidden_width']} "
                  f"{s['activation']} units" if s["depth"] else "no hidden layer")
        return (f"{s['dataset']}, {hidden}, {self.n_parameters} parameters, {s['epochs']} epochs: "
                f"train accuracy {self.train_accuracy:.1%}, test accuracy {self.test_accuracy:.1%}")


# ----------------------------------------------------------------------- validation
def _check_settings(function: str, dataset, noise, hidden_width, depth, activation, lr, epochs, seed) -> float:
    """Raise naming the first bad setting (TypeError for a wrong type, else ValueError); return the noise to use."""
    check_choice(dataset, "dataset", function, DATASETS)
    noise = check_real(DEFAULT_NOISE[dataset] if noise is None else noise, "noise", function, minimum=0,
                       maximum=MAX_NOISE,
                       allowed=f"a number in [0, {MAX_NOISE:g}] (or None for the data set's default)")
    check_int(hidden_width, "hidden_width", function, minimum=1, maximum=MAX_WIDTH)
    check_int(depth, "depth", function, minimum=0, maximum=MAX_DEPTH)
    check_choice(activation, "activation", function, ACTIVATIONS)
    check_real(lr, "lr", function, minimum=LR_RANGE[0], maximum=LR_RANGE[1])
    check_int(epochs, "epochs", function, minimum=1, maximum=MAX_EPOCHS)
    check_int(seed, "seed", function, minimum=0)
    return noise


# ----------------------------------------------------------------------- data and training
def _make_data(dataset: str, noise: float, seed: int):
    """(X, y) with N_POINTS points; ``noise`` is the data set's own parameter:
    the standard deviation of each coordinate (xor, circles, moons), of the angle in radians
    (spiral), or of each of three clusters (blobs)."""
    if dataset == "xor":
        return datasets.xor(N_POINTS, noise=noise, seed=seed)
    if dataset == "spiral":
        return datasets.spiral(N_POINTS, classes=3, noise=noise, seed=seed)
    if dataset == "circles":
        return datasets.circles(N_POINTS, noise=noise, seed=seed)
    if dataset == "moons":
        return datasets.moons(N_POINTS, noise=noise, seed=seed)
    return datasets.blobs(N_POINTS, centers=_BLOB_CENTRES, std=noise, seed=seed)


def train_playground(dataset: str = "xor", noise=None, hidden_width: int = 8, depth: int = 2,
                     activation: str = "tanh", lr: float = 0.03, epochs: int = 200, seed: int = 0) -> PlaygroundRun:
    """Train a small MLP on a 2-D toy data set; the function behind the playground's button.

    dataset: one of ``DATASETS``; 400 points, the first 200 for training, the rest for testing
        (the data sets come shuffled, so both halves are fair samples).
    noise: in [0, 1], the data set's own noise (coordinates for xor, circles, moons; the angle
        for spiral; the cluster spread for blobs); None takes ``DEFAULT_NOISE[dataset]``.
    hidden_width, depth: ``depth`` hidden layers (0 to 4) of ``hidden_width`` units (1 to 32);
        depth 0 is a linear classifier (softmax regression).
    activation: of the hidden units, one of ``ACTIVATIONS``.
    lr, epochs: Adam's learning rate and the number of passes over the training half, in
        mini-batches of 32.
    seed: seeds the data, the initial weights and the batch order alike.
    Returns a ``PlaygroundRun``.
    """
    noise = _check_settings("train_playground", dataset, noise, hidden_width, depth, activation, lr, epochs, seed)
    X, y = _make_data(dataset, noise, seed)
    half = N_POINTS // 2
    X_train, y_train, X_test, y_test = X[:half], y[:half], X[half:], y[half:]
    n_classes = int(y.max()) + 1
    model = MLP([2] + [hidden_width] * depth + [n_classes], activation=activation, output="softmax", seed=seed)
    history = train(model, Adam(lr=lr), X_train, y_train, epochs=epochs, batch_size=BATCH_SIZE,
                    X_val=X_test, y_val=y_test, seed=seed, live=False, progress=False)
    settings = dict(dataset=dataset, noise=noise, hidden_width=hidden_width, depth=depth, activation=activation,
                    lr=lr, epochs=epochs, seed=seed)
    return PlaygroundRun(model, X_train, y_train, X_test, y_test, history, settings)


# ----------------------------------------------------------------------- pictures
def plot_playground(run: PlaygroundRun, axes=None, resolution: int = 100):
    """Draw a run: the decision boundary over the training points, and the loss curves.

    With two classes the plane is shaded by the network's probability of class 1 (the black
    line is where it is 0.5); with more, each region takes its class's colour.
    axes: a pair (boundary Axes, loss Axes); None makes a new pyplot figure.
    Returns the pair of Axes.
    """
    from ..plotting import decision_boundary, plot_history

    check_instance(run, "run", "plot_playground", PlaygroundRun, "a PlaygroundRun from train_playground")
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    if len(axes) != 2:
        raise ValueError(f"plot_playground expects axes to be a pair (boundary, loss); got {len(axes)} axes.")
    ax_boundary, ax_loss = axes
    model = run.model
    if model.widths[-1] == 2:
        def predict(P):
            return model.forward(P)[:, 1]  # probability of class 1: shaded, line at 0.5
    else:
        predict = model.predict
    decision_boundary(predict, run.X_train, run.y_train, ax=ax_boundary, resolution=resolution,
                      title=f"{run.settings['dataset']}: train {run.train_accuracy:.0%}, "
                            f"test {run.test_accuracy:.0%}")
    ax_boundary.set_aspect("equal")  # circles look round, distances look like distances
    plot_history({"train loss": run.history["loss"], "test loss": run.history["val_loss"]}, ax=ax_loss,
                 title="cross-entropy")
    classes = model.widths[-1]
    ax_loss.axhline(np.log(classes), color="0.4", ls="--", lw=1, label=f"chance, log {classes}")
    ax_loss.set_ylim(bottom=0)  # so that noise of a few thousandths does not look like a swing
    ax_loss.legend(fontsize="small")
    return ax_boundary, ax_loss


# ----------------------------------------------------------------------- the widget
def playground(dataset: str = "xor", noise=None, hidden_width: int = 8, depth: int = 2, activation: str = "tanh",
               lr: float = 0.03, epochs: int = 200, seed: int = 0, train_now: bool = True):
    """Widgets to train a small network on 2-D data and watch its decision boundary; returns a VBox.

    The arguments are the starting values of the controls (see ``train_playground``);
    ``train_now`` trains once while building, so the picture is not empty. Pressing
    "Train" calls ``playground.train()``, which reads the controls, trains, redraws and returns
    the ``PlaygroundRun``; call it yourself to train without clicking. The box also keeps
    ``run`` (the latest run), ``figure`` (the latest matplotlib Figure, made outside pyplot so
    nothing is left open) and ``controls`` (name -> widget).
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    noise = _check_settings("playground", dataset, noise, hidden_width, depth, activation, lr, epochs, seed)
    check_flag(train_now, "train_now", "playground")

    style = {"description_width": "90px"}
    controls = {
        "dataset": widgets.Dropdown(options=list(DATASETS), value=dataset, description="data", style=style),
        "noise": widgets.FloatSlider(value=noise, min=0.0, max=MAX_NOISE, step=0.01, description="noise",
                                     style=style, continuous_update=False),
        "hidden_width": widgets.IntSlider(value=hidden_width, min=1, max=MAX_WIDTH, description="width",
                                          style=style, continuous_update=False),
        "depth": widgets.IntSlider(value=depth, min=0, max=MAX_DEPTH, description="hidden layers", style=style,
                                   continuous_update=False),
        "activation": widgets.Dropdown(options=list(ACTIVATIONS), value=activation, description="activation",
                                       style=style),
        "lr": widgets.FloatLogSlider(value=lr, base=10, min=math.log10(LR_RANGE[0]), max=math.log10(LR_RANGE[1]),
                                     step=0.1, description="learning rate", readout_format=".4f", style=style,
                                     continuous_update=False),
        "epochs": widgets.IntSlider(value=epochs, min=1, max=MAX_EPOCHS, description="epochs", style=style,
                                    continuous_update=False),
        "seed": widgets.IntText(value=seed, description="seed", style=style),
    }
    button = widgets.Button(description="Train", button_style="primary", icon="play")
    status = widgets.HTML(value="Press <b>Train</b>.")
    # An Image rather than an Output widget: see widgets/optimizers.py (jupyter/nbclient#312).
    picture = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="900px"))

    def reset_noise(change):
        controls["noise"].value = DEFAULT_NOISE[change["new"]]  # each data set's noise means something else

    def train_once():
        settings = {name: control.value for name, control in controls.items()}
        button.disabled, button.description = True, "Training..."
        try:
            run = train_playground(**settings)
        except (ValueError, FloatingPointError) as error:
            status.value = f"<span style='color:#b00'>{error}</span>"
            return None
        finally:
            button.disabled, button.description = False, "Train"
        figure = Figure(figsize=(9, 3.6), layout="constrained")
        plot_playground(run, axes=figure.subplots(1, 2))
        png = io.BytesIO()
        figure.savefig(png, format="png", dpi=80)
        picture.value = png.getvalue()
        status.value = run.summary()
        box.run, box.figure = run, figure
        return run

    controls["dataset"].observe(reset_noise, names="value")
    button.on_click(lambda _button: train_once())
    box = widgets.VBox([
        widgets.HBox([widgets.VBox(list(controls.values())[:4]), widgets.VBox(list(controls.values())[4:])]),
        widgets.HBox([button, status]),
        picture,
    ])
    box.controls, box.train, box.run, box.figure = controls, train_once, None, None
    if train_now:
        train_once()
    return box
