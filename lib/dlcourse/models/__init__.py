"""PyTorch reference models and their training loops (lectures 06-14).

Imported on first use of a name, so ``import dlcourse.models`` stays cheap until a model is
needed (every module here imports torch).

- ``training``  ``fit``, ``predict``, ``accuracy``: the mini-batch loop every lecture uses
"""
import importlib

# Each name is routed to its module when that module lands (lectures 07-14 add theirs).
_LAZY = {
    "fit": "training", "predict": "training", "accuracy": "training",
}

__all__ = list(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'dlcourse.models' has no attribute {name!r}; public names: {', '.join(__all__)}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
