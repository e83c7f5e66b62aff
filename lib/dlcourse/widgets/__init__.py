"""ipywidgets explorers used in the lectures; each returns a widget to display.

- ``activation_explorer``  an activation, its derivative and a loss, with sliders (lecture 03)
- ``playground``           a small network trained live on 2-D data (lecture 02)
- ``optimizer_explorer``   optimisers racing on a 2-D test surface (lecture 05)
- ``kernel_explorer``      a 3x3 convolution kernel applied to an image, entries on sliders (lecture 07)
"""
from .activations import activation_explorer
from .kernels import kernel_explorer
from .optimizers import optimizer_explorer
from .playground import playground

__all__ = ["activation_explorer", "playground", "optimizer_explorer", "kernel_explorer"]
