"""NumPy reference implementations, one module per lecture idea.

Readable first, fast second: each update line carries the name of the equation it
implements, so a lecture and its library code can be read side by side.

- ``perceptron``   Rosenblatt's perceptron and its learning rule (lecture 01)
- ``activations``  activation functions and their derivatives (lecture 03)
- ``losses``       loss functions and their gradients (lecture 03)
- ``mlp``          parameter counting and the multilayer perceptron with BP1-BP4 (lectures 02, 04)
- ``autograd``     a scalar reverse-mode autodiff engine, ``Value`` (lecture 04)
- ``optim``        SGD (momentum, Nesterov), Adagrad, Adadelta, RMSprop, Adam (lecture 05)
- ``training``     a mini-batch training loop with progress and live curves (lectures 04-06)
- ``conv``         convolution (loops and im2col) and max pooling, with backward (lecture 07)
- ``rnn``          RNN, LSTM and GRU cells with backpropagation through time (lecture 09)
"""
import importlib

from .activations import (
    gaussian,
    gaussian_grad,
    hard_tanh,
    hard_tanh_grad,
    identity,
    identity_grad,
    leaky_relu,
    leaky_relu_grad,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    softmax_grad,
    softplus,
    softplus_grad,
    tanh,
    tanh_grad,
)
from .activations import __all__ as _activation_names
from .perceptron import Perceptron

# Names defined in modules that are still being written are resolved on first use.
_LAZY = {
    "losses": None, "mlp": None, "autograd": None, "optim": None, "training": None,
    "count_parameters": "mlp", "MLP": "mlp", "Value": "autograd",
    "SGD": "optim", "Adagrad": "optim", "Adadelta": "optim", "RMSprop": "optim", "Adam": "optim",
    "train": "training",
    "conv": None, "rnn": None,
    "conv2d": "conv", "conv2d_naive": "conv", "conv2d_backward": "conv", "im2col": "conv",
    "max_pool2d": "conv", "max_pool2d_backward": "conv", "conv_output_size": "conv",
    "RNNCell": "rnn", "LSTMCell": "rnn", "GRUCell": "rnn", "clip_grad_norm": "rnn",
}

__all__ = ["Perceptron", *_activation_names, *_LAZY]


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name] or name}", __name__)
        value = module if _LAZY[name] is None else getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'dlcourse.nn' has no attribute {name!r}")
