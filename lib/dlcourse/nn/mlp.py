"""The multilayer perceptron and backpropagation, BP1-BP4 (lectures 02 and 04).

Forward pass, for layers l = 1, ..., L, with a^0 = X and rows as examples::

    z^l = a^(l-1) @ W^l.T + b^l        # (N, n_l); W^l is (n_l, n_(l-1)) as in torch.nn.Linear
    a^l = g(z^l)                       # hidden activation g, output unit g_L at l = L

Backward pass, with delta^l = dC/dz^l (Nielsen 2015; the notation of the lecture)::

    delta^L = dC/da^L * g_L'(z^L)                   # BP1
    delta^l = (delta^(l+1) @ W^(l+1)) * g'(z^l)     # BP2
    dC/db^l = sum over the batch of delta^l         # BP3
    dC/dW^l = delta^l.T @ a^(l-1)                   # BP4

The cost C is a mean over the batch, so the 1/N sits in delta^L and BP3/BP4 sum.
Each output unit comes with its matching loss, the pair whose BP1 simplifies to
"prediction minus target": softmax with cross-entropy, sigmoid with binary cross-entropy,
identity (or ReLU) with mean squared error.
"""
from __future__ import annotations

import numpy as np

from .. import config
from .._validation import check_array, check_choice, check_int, check_widths
from . import activations as _act

__all__ = ["count_parameters", "MLP"]

_HIDDEN = ("identity", "sigmoid", "tanh", "hard_tanh", "relu", "leaky_relu", "softplus", "gaussian")
_OUTPUT = ("identity", "relu", "sigmoid", "softmax")


def _layer_widths(widths, function: str) -> list[int]:
    return list(check_widths(widths, "widths", function, minimum_length=2,
                             example="[2, 3, 2] (input size, then each layer's width)"))


def count_parameters(widths) -> int:
    """Number of weights and biases of a fully connected net with these layer widths.

    widths: [n_0, n_1, ..., n_L], the input size followed by the width of every layer.
    Layer l has an (n_l, n_(l-1)) weight matrix and n_l biases: (n_(l-1) + 1) * n_l.
    count_parameters([2, 3, 2]) == (2 + 1) * 3 + (3 + 1) * 2 == 17.
    """
    widths = _layer_widths(widths, "count_parameters")
    return sum((n_in + 1) * n_out for n_in, n_out in zip(widths[:-1], widths[1:]))


class MLP:
    """A fully connected feedforward network trained by backpropagation.

    Parameters
    ----------
    widths : list of int
        [n_0, n_1, ..., n_L]: input size, hidden widths, number of outputs.
    activation : str, default "relu"
        Hidden activation, a function of ``dlcourse.nn.activations``: identity, sigmoid,
        tanh, hard_tanh, relu, leaky_relu (slope 0.01), softplus or gaussian.
    output : str, default "softmax"
        Output unit: "softmax" (cross-entropy, integer labels), "sigmoid" (binary
        cross-entropy, 0/1 targets), "identity" or "relu" (mean squared error).
    seed : int, default 0
        Seed of the ``np.random.default_rng`` that draws the initial weights.

    Initialisation: biases 0; weights normal with variance 2 / n_in (He et al. 2015) for
    ReLU-like activations, which zero half their inputs, and 2 / (n_in + n_out) (Glorot &
    Bengio 2010) otherwise; either keeps the size of the signal roughly equal from layer
    to layer, so a deep net neither dies out nor blows up at the start.

    Attributes
    ----------
    params : list of ndarray
        [W1, b1, W2, b2, ...] with W^l of shape (n_l, n_(l-1)) and b^l of shape (n_l,):
        the order and shapes of ``list(torch.nn.Sequential(...).parameters())``.
        Optimisers update these arrays in place.
    grads : list of ndarray
        Gradients of the last ``backward``, same order and shapes as ``params``.
    z, a : list of ndarray
        Cached by ``forward``: z[l-1] = z^l (N, n_l) for l = 1..L; a[l] = a^l with a[0] = X.
    """

    def __init__(self, widths, activation: str = "relu", output: str = "softmax", seed: int = 0):
        self.widths = _layer_widths(widths, "MLP")
        self.activation = check_choice(activation, "activation", "MLP", _HIDDEN)
        self.output = check_choice(output, "output", "MLP", _OUTPUT)
        if output == "softmax" and self.widths[-1] < 2:
            raise ValueError("MLP with output='softmax' needs at least 2 output units, one per class; got 1 "
                             "(use output='sigmoid' for a single yes/no output).")
        self.seed = check_int(seed, "seed", "MLP")

        rng = config.rng(self.seed)
        he = activation in ("relu", "leaky_relu")
        self.params: list[np.ndarray] = []
        for n_in, n_out in zip(self.widths[:-1], self.widths[1:]):
            std = np.sqrt(2.0 / n_in) if he else np.sqrt(2.0 / (n_in + n_out))
            self.params.append(rng.normal(0.0, std, size=(n_out, n_in)))  # W^l
            self.params.append(np.zeros(n_out))  # b^l
        self.grads: list[np.ndarray] = [np.zeros_like(p) for p in self.params]
        self.z: list[np.ndarray] = []
        self.a: list[np.ndarray] = []

    def __repr__(self) -> str:
        return (f"MLP(widths={self.widths}, activation={self.activation!r}, output={self.output!r}, "
                f"parameters={count_parameters(self.widths)})")

    @property
    def n_layers(self) -> int:
        """L, the number of layers with weights (hidden layers + the output layer)."""
        return len(self.widths) - 1

    # ------------------------------------------------------------------ activations
    def _g(self, z):
        return getattr(_act, self.activation)(z)

    def _g_grad(self, z):
        return getattr(_act, f"{self.activation}_grad")(z)

    def _output_unit(self, z):
        return getattr(_act, self.output)(z)

    # ------------------------------------------------------------------ forward pass
    def forward(self, X):
        """Output activations a^L of shape (N, n_L) for inputs X of shape (N, n_0).

        Caches every z^l and a^l for ``backward``.
        """
        X = self._check_X(X)
        self.a = [X]
        self.z = []
        for l in range(self.n_layers):
            W, b = self.params[2 * l], self.params[2 * l + 1]
            z = self.a[-1] @ W.T + b  # (N, n_out)
            last = l == self.n_layers - 1
            self.z.append(z)
            self.a.append(self._output_unit(z) if last else self._g(z))
        return self.a[-1]

    def loss(self, X, y) -> float:
        """Forward pass plus the loss matched to the output unit, averaged like torch (mean).

        softmax: cross-entropy, y (N,) integer class labels (= F.cross_entropy on z^L);
        sigmoid: binary cross-entropy, y (N, n_L) of targets in [0, 1], or (N,) when n_L = 1;
        identity/relu: mean squared error over all entries, y (N, n_L), or (N,) when n_L = 1.
        """
        self.forward(X)
        y = self._check_y(y, "MLP.loss")
        z_L, a_L = self.z[-1], self.a[-1]
        N = z_L.shape[0]
        if self.output == "softmax":
            # log softmax = z - logsumexp(z), with the max subtracted so exp cannot overflow
            shifted = z_L - z_L.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            return float(-log_probs[np.arange(N), y].mean())
        if self.output == "sigmoid":
            # -[y log a + (1-y) log(1-a)] written with z: softplus(z) - y z never takes log(0)
            return float(np.mean(np.logaddexp(0.0, z_L) - y * z_L))
        return float(np.mean((a_L - y) ** 2))

    # ------------------------------------------------------------------ backward pass
    def backward(self, y=None, *, grad_output=None):
        """Gradients of the loss with respect to every parameter, by BP1-BP4.

        Call after ``forward`` or ``loss`` on the same batch. Pass either ``y``, the
        targets of ``loss`` (then the matched loss is differentiated), or ``grad_output``,
        dL/da^L of shape (N, n_L) for any other loss. Fills and returns ``self.grads``.
        """
        if not self.z:
            raise RuntimeError("MLP.backward needs a forward pass first: call forward(X) or loss(X, y) "
                               "before backward.")
        if (y is None) == (grad_output is None):
            raise ValueError("MLP.backward expects either the targets y of the matched loss or "
                             "grad_output = dL/da^L, exactly one of them; got "
                             f"{'both' if y is not None else 'neither'}.")
        z_L, a_L = self.z[-1], self.a[-1]
        N = z_L.shape[0]
        if grad_output is not None:
            grad_a = np.asarray(grad_output, dtype=np.float64)
            if grad_a.shape != a_L.shape:
                raise ValueError(f"MLP.backward expects grad_output of the output's shape {a_L.shape}; "
                                 f"got shape {grad_a.shape}.")
            if self.output == "softmax":
                delta = _act.softmax_grad(z_L, grad_a)  # BP1 (softmax mixes the outputs: a Jacobian product)
            else:
                delta = grad_a * getattr(_act, f"{self.output}_grad")(z_L)  # BP1
        else:
            y = self._check_y(y, "MLP.backward")
            if self.output == "softmax":
                onehot = np.zeros_like(a_L)
                onehot[np.arange(N), y] = 1.0
                delta = (a_L - onehot) / N  # BP1 for softmax + cross-entropy
            elif self.output == "sigmoid":
                delta = (a_L - y) / a_L.size  # BP1 for sigmoid + binary cross-entropy
            else:
                grad_a = 2.0 * (a_L - y) / a_L.size  # dC/da^L of the mean squared error
                delta = grad_a * getattr(_act, f"{self.output}_grad")(z_L)  # BP1

        for l in reversed(range(self.n_layers)):
            a_prev = self.a[l]  # a^(l-1) in the 1-based notation: the input to this layer
            self.grads[2 * l + 1][...] = delta.sum(axis=0)  # BP3
            self.grads[2 * l][...] = delta.T @ a_prev  # BP4: (n_out, N) @ (N, n_in)
            if l > 0:
                W = self.params[2 * l]
                delta = (delta @ W) * self._g_grad(self.z[l - 1])  # BP2: (N, n_out) @ (n_out, n_in)
        return self.grads

    # ------------------------------------------------------------------ prediction
    def predict(self, X):
        """Class labels (N,) for softmax, 0/1 labels for sigmoid ((N,) when n_L = 1, else (N, n_L)),
        the output values (N, n_L) for identity/relu."""
        a_L = self.forward(X)
        if self.output == "softmax":
            return a_L.argmax(axis=1)
        if self.output == "sigmoid":
            labels = (a_L >= 0.5).astype(np.int64)
            return labels[:, 0] if labels.shape[1] == 1 else labels
        return a_L

    # ------------------------------------------------------------------ validation
    def _check_X(self, X) -> np.ndarray:
        n_0 = self.widths[0]
        X = check_array(X, "X", "MLP")
        if X.ndim != 2 or X.shape[1] != n_0:
            raise ValueError(f"MLP expects X of shape (N, {n_0}); got shape {X.shape}.")
        if X.shape[0] == 0:
            raise ValueError(f"MLP expects at least one example in X; got shape {X.shape}.")
        if not np.all(np.isfinite(X)):
            raise ValueError("MLP expects finite values in X; got NaN or infinity.")
        return X

    def _check_y(self, y, function: str) -> np.ndarray:
        N, n_L = self.a[-1].shape
        y = check_array(y, "y", function, dtype=None)
        if self.output == "softmax":
            if y.shape != (N,):
                raise ValueError(f"{function} expects y of shape ({N},) with one class index per example "
                                 f"(output='softmax'); got shape {y.shape}.")
            if y.dtype.kind == "f" and not np.all(y == np.round(y)):
                raise ValueError(f"{function} expects integer class labels y for output='softmax'; "
                                 "got fractional values.")
            y = y.astype(np.int64)
            if N and (y.min() < 0 or y.max() >= n_L):
                raise ValueError(f"{function} expects class labels y in 0..{n_L - 1} for {n_L} output units; "
                                 f"got values from {y.min()} to {y.max()}.")
            return y
        if n_L == 1 and y.shape == (N,):
            y = y.reshape(N, 1)
        if y.shape != (N, n_L):
            one = f", or ({N},)" if n_L == 1 else ""
            raise ValueError(f"{function} expects y of shape ({N}, {n_L}){one} for output={self.output!r}; "
                             f"got shape {y.shape}.")
        y = y.astype(np.float64)
        if not np.all(np.isfinite(y)):
            raise ValueError(f"{function} expects finite values in y; got NaN or infinity.")
        if self.output == "sigmoid" and (y.min() < 0 or y.max() > 1):
            raise ValueError(f"{function} expects targets y in [0, 1] for output='sigmoid'; "
                             f"got values from {y.min():g} to {y.max():g}.")
        return y
