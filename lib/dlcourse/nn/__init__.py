"""NumPy reference implementations, one module per lecture idea.

Readable first, fast second: each update line carries the name of the equation it
implements, so a lecture and its library code can be read side by side.

- ``perceptron``   Rosenblatt's perceptron and its learning rule (lecture 01)
- ``activations``  activation functions and their derivatives (lecture 03)
"""
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

__all__ = ["Perceptron", *_activation_names]
