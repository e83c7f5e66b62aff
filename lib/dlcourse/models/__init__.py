"""PyTorch reference models and their training loops (lectures 06-14).

Imported on first use of a name, so ``import dlcourse.models`` stays cheap until a model is
needed (every module here imports torch).

- ``training``  ``fit``, ``predict``, ``accuracy``: the mini-batch loop every lecture uses
- ``lenet``     ``LeNet`` (LeCun et al. 1998) and ``feature_maps`` to look inside a CNN (lecture 07)
- ``residual``  plain and residual stacks, the two residual block kinds, gradient norms
                per layer, ``freeze``/``unfreeze`` for transfer learning (lecture 08)
- ``charlm``    a character-level recurrent language model and its sampler (lecture 09)
"""
import importlib

_LAZY = {
    "fit": "training", "predict": "training", "accuracy": "training",
    "LeNet": "lenet", "feature_maps": "lenet",
    "DeepStack": "residual", "ResidualBlock": "residual", "BottleneckBlock": "residual",
    "gradient_norms": "residual", "freeze": "residual", "unfreeze": "residual",
    "CharVocabulary": "charlm", "CharLM": "charlm", "sample_text": "charlm",
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
