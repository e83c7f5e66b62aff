"""ipywidgets explorers used in the lectures; each returns a widget to display.

- ``activation_explorer``  an activation, its derivative and a loss, with sliders (lecture 03)
- ``playground``           a small network trained live on 2-D data (lecture 02)
- ``optimizer_explorer``   optimisers racing on a 2-D test surface (lecture 05)
- ``kernel_explorer``      a 3x3 convolution kernel applied to an image, entries on sliders (lecture 07)
"""
import importlib

_LAZY = {"activation_explorer": "activations", "playground": "playground", "optimizer_explorer": "optimizers",
         "kernel_explorer": "kernels"}

__all__ = list(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'dlcourse.widgets' has no attribute {name!r}")
