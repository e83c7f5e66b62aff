"""NumPy reference implementations, one module per lecture idea.

Readable first, fast second: each update line carries the name of the equation it
implements, so a lecture and its library code can be read side by side.

- ``perceptron``      Rosenblatt's perceptron and its learning rule (lecture 01)
- ``activations``     activation functions and their derivatives (lecture 03)
- ``losses``          loss functions and their gradients (lecture 03)
- ``mlp``             parameter counting and the multilayer perceptron with BP1-BP4 (lectures 02, 04)
- ``autograd``        a scalar reverse-mode autodiff engine, ``Value`` (lecture 04)
- ``optim``           SGD (momentum, Nesterov), Adagrad, Adadelta, RMSprop, Adam, 2-D test surfaces (lecture 05)
- ``training``        a mini-batch training loop with progress and live curves (lectures 04-06)
- ``regularization``  dropout, DropConnect, batch normalisation (lecture 06)
- ``conv``            convolution (loops and im2col) and max pooling, with backward (lecture 07)
- ``rnn``             RNN, LSTM and GRU cells with backpropagation through time (lecture 09)
- ``graphs``          graph matrices, spectral and Chebyshev filters, the GCN layer (lecture 16)
- ``attention``       scaled dot-product and multi-head attention, masks, positional encodings,
                      layer normalisation, the transformer block (lecture 19)

Everything here needs NumPy only (``draw_graph`` imports matplotlib when it draws).
"""
from . import activations, attention, autograd, conv, graphs, losses, mlp, optim, perceptron, regularization, rnn, training
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
from .attention import (additive_attention, attention_entropy, causal_lm_loss, causal_mask, layer_norm, merge_heads,
                        multi_head_attention, padding_mask, scaled_dot_product_attention, sinusoidal_positions,
                        split_heads, transformer_block)
from .autograd import Value, draw_graph
from .graphs import (chebyshev_filter, degree_matrix, gcn_layer, hop_distances, laplacian, normalized_adjacency,
                     scaled_laplacian, spectral_filter)
from .conv import col2im, conv2d, conv2d_backward, conv2d_naive, conv_output_size, im2col, max_pool2d, max_pool2d_backward
from .mlp import MLP, count_parameters
from .optim import SGD, Adadelta, Adagrad, Adam, RMSprop, Surface, narrow_valley, rosenbrock, saddle, trajectory
from .perceptron import Perceptron
from .rnn import GRUCell, LSTMCell, RNNCell, clip_grad_norm
from .training import train

_MODULES = ["activations", "losses", "mlp", "autograd", "optim", "training", "regularization", "conv", "rnn", "graphs", "attention"]

__all__ = [
    *_MODULES,
    "Perceptron",
    *activations.__all__,
    "count_parameters", "MLP",
    "Value", "draw_graph",
    "SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "Surface", "saddle", "narrow_valley", "rosenbrock", "trajectory",
    "train",
    "conv2d", "conv2d_naive", "conv2d_backward", "im2col", "col2im", "max_pool2d", "max_pool2d_backward",
    "conv_output_size",
    "RNNCell", "LSTMCell", "GRUCell", "clip_grad_norm",
    "degree_matrix", "laplacian", "normalized_adjacency", "scaled_laplacian", "spectral_filter", "chebyshev_filter",
    "gcn_layer", "hop_distances",
    "scaled_dot_product_attention", "causal_mask", "padding_mask", "split_heads", "merge_heads",
    "sinusoidal_positions", "layer_norm", "multi_head_attention", "transformer_block", "causal_lm_loss",
    "attention_entropy", "additive_attention",
]
