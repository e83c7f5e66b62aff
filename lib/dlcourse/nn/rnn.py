"""Recurrent cells in NumPy with backpropagation through time (lecture 09).

Three cells, each the same computation as its ``torch.nn`` namesake and with the same
parameter names and layout, so weights copy across one to one::

    ours = LSTMCell(32, 64, seed=0)
    theirs = torch.nn.LSTMCell(32, 64).double()
    for name, parameter in theirs.named_parameters():   # weight_ih, weight_hh, bias_ih, bias_hh
        parameter.data.copy_(torch.from_numpy(getattr(ours, name)))

Rows of the batch are examples: x_t is (N, input_size) and h_t is (N, hidden_size), so the
lecture's column form h_t = tanh(W_hh h_{t-1} + W_xh x_t) reads h_t = tanh(x_t W_ih^T + h_{t-1} W_hh^T)
here (W_xh is torch's ``weight_ih``), plus torch's two biases b_ih and b_hh.

``forward(x, state)`` takes one step. ``forward_sequence(xs)`` runs the cell over a whole
sequence xs (T, N, input_size), returns every hidden state (T, N, hidden_size) and keeps what
``backward_sequence(grad_hs)`` needs to send dL/dh_t back through time (BPTT). The gradient
is returned as a dict with one entry per parameter name and one for the inputs ("xs") and the
initial state ("h0", and "c0" for the LSTM).

``clip_grad_norm`` rescales gradients whose joint norm is too large, the standard remedy
for exploding gradients.
"""
from __future__ import annotations

import math

import numpy as np

from .. import config
from .._validation import check_array, check_choice, check_flag, check_instance, check_int, check_real
from .activations import sigmoid

__all__ = ["RNNCell", "LSTMCell", "GRUCell", "clip_grad_norm"]

_PARAMETER_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


class _RecurrentCell:
    """Parameters, their initialisation and input checks shared by the three cells.

    A subclass sets ``gates``, the number of (H, ...) blocks stacked in its weights
    (1 for the RNN, 4 for the LSTM, 3 for the GRU).
    """

    gates = 1

    def __init__(self, input_size, hidden_size, seed=0):
        self.input_size = check_int(input_size, "input_size", type(self).__name__, minimum=1)
        self.hidden_size = check_int(hidden_size, "hidden_size", type(self).__name__, minimum=1)
        # torch's init: every weight and bias from U(-k, k) with k = 1/sqrt(hidden_size),
        # drawn here in the order of named_parameters()
        rng = config.rng(seed)
        k = 1.0 / math.sqrt(self.hidden_size)
        rows = self.gates * self.hidden_size
        self.weight_ih = rng.uniform(-k, k, size=(rows, self.input_size))  # (gates*H, I)
        self.weight_hh = rng.uniform(-k, k, size=(rows, self.hidden_size))  # (gates*H, H)
        self.bias_ih = rng.uniform(-k, k, size=rows)  # (gates*H,)
        self.bias_hh = rng.uniform(-k, k, size=rows)  # (gates*H,)
        self._cache = None

    def parameters(self) -> list[np.ndarray]:
        """[weight_ih, weight_hh, bias_ih, bias_hh], the arrays themselves (an optimiser updates them in place)."""
        return [getattr(self, name) for name in _PARAMETER_NAMES]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(input_size={self.input_size}, hidden_size={self.hidden_size})"

    # ------------------------------------------------------------ input checks
    def _array(self, a, method: str, name: str, shape_text: str, ndim: int, size: int) -> np.ndarray:
        """a as a float64 copy with ndim axes, the last of length size, or a clear error."""
        where = f"{type(self).__name__}.{method}"
        array = check_array(a, name, where).copy()  # the cache must not change when the caller's array does
        if array.ndim != ndim or array.shape[-1] != size or 0 in array.shape:
            raise ValueError(f"{where} expects {name} of shape {shape_text}; got shape {array.shape}.")
        return array

    def _inputs(self, x, method: str) -> np.ndarray:
        """One time step x (N, input_size)."""
        return self._array(x, method, "x", f"(N, input_size) = (N, {self.input_size})", 2, self.input_size)

    def _sequence(self, xs, method: str) -> np.ndarray:
        """A sequence xs (T, N, input_size)."""
        return self._array(xs, method, "xs", f"(T, N, input_size) = (T, N, {self.input_size})", 3, self.input_size)

    def _state(self, h, batch: int, method: str, name: str) -> np.ndarray:
        """A hidden or cell state (N, hidden_size), zeros if h is None (as in torch)."""
        if h is None:
            return np.zeros((batch, self.hidden_size))
        h = self._array(h, method, name, f"(N, hidden_size) = ({batch}, {self.hidden_size})", 2, self.hidden_size)
        if h.shape[0] != batch:
            raise ValueError(f"{type(self).__name__}.{method} expects {name} of shape (N, hidden_size) = "
                             f"({batch}, {self.hidden_size}), one row per example of x; got shape {h.shape}.")
        return h

    def _grad_sequence(self, grad_hs, method: str) -> np.ndarray:
        """dL/dh_t for every step, shaped like the hidden states of the last forward_sequence."""
        if self._cache is None:
            raise RuntimeError(f"{type(self).__name__}.{method} needs the states of a forward pass; "
                               "call forward_sequence(xs) first.")
        hs = self._cache["hs"]
        grad_hs = self._array(grad_hs, method, "grad_hs", f"(T, N, hidden_size) = {hs.shape}", 3, self.hidden_size)
        if grad_hs.shape != hs.shape:
            raise ValueError(f"{type(self).__name__}.{method} expects grad_hs of the shape of the hidden states "
                             f"(T, N, hidden_size) = {hs.shape}; got shape {grad_hs.shape}.")
        return grad_hs

    def _zero_grads(self) -> dict[str, np.ndarray]:
        return {name: np.zeros_like(getattr(self, name)) for name in _PARAMETER_NAMES}

    def _accumulate(self, grads, grad_ih, x, grad_hh, h_prev) -> None:
        """Add one step's share to the weight gradients; the same weights act at every step.

        grad_ih, grad_hh: (N, gates*H) gradients of the input and recurrent pre-activations
        (equal for RNN and LSTM, different for the GRU); x (N, I); h_prev (N, H).
        """
        grads["weight_ih"] += grad_ih.T @ x  # (gates*H, N) @ (N, I)
        grads["weight_hh"] += grad_hh.T @ h_prev  # (gates*H, N) @ (N, H)
        grads["bias_ih"] += grad_ih.sum(axis=0)
        grads["bias_hh"] += grad_hh.sum(axis=0)


# ------------------------------------------------------------------ the plain (Elman) RNN
class RNNCell(_RecurrentCell):
    """The simple recurrent cell, h_t = f(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (``torch.nn.RNNCell``).

    input_size I, hidden_size H; f is tanh or ReLU (``nonlinearity``). Parameters, as in torch:
    weight_ih (H, I), weight_hh (H, H), bias_ih (H,), bias_hh (H,), all drawn from
    U(-1/sqrt(H), 1/sqrt(H)) by ``numpy.random.default_rng(seed)``. ``identity_init=True``
    sets W_hh = I and both biases to 0 instead (Le, Jaitly & Hinton 2015: with ReLU this lets
    the state, and the gradient, pass through many steps unchanged at the start).
    """

    def __init__(self, input_size, hidden_size, nonlinearity="tanh", seed=0, identity_init=False):
        self.nonlinearity = check_choice(nonlinearity, "nonlinearity", "RNNCell", ("tanh", "relu"))
        self.identity_init = check_flag(identity_init, "identity_init", "RNNCell")
        super().__init__(input_size, hidden_size, seed)
        if self.identity_init:
            self.weight_hh = np.eye(self.hidden_size)
            self.bias_ih = np.zeros(self.hidden_size)
            self.bias_hh = np.zeros(self.hidden_size)

    def __repr__(self) -> str:
        return (f"RNNCell(input_size={self.input_size}, hidden_size={self.hidden_size}, "
                f"nonlinearity={self.nonlinearity!r}, identity_init={self.identity_init})")

    def _step(self, x, h):
        # (RNN) h_t = f(W_hh h_{t-1} + W_xh x_t + b), one example per row
        z = x @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T + self.bias_hh  # (N, H)
        return np.tanh(z) if self.nonlinearity == "tanh" else np.maximum(z, 0.0)

    def forward(self, x, h=None):
        """One step: x (N, I) and h (N, H) (zeros if None) -> the next hidden state (N, H)."""
        x = self._inputs(x, "forward")
        return self._step(x, self._state(h, x.shape[0], "forward", "h"))

    def forward_sequence(self, xs, h0=None):
        """Run over a sequence: xs (T, N, I), h0 (N, H) or None -> hs (T, N, H), hs[t] = h_{t+1}.

        Equals the output of ``torch.nn.RNN`` (one layer, batch_first=False) with these weights.
        """
        xs = self._sequence(xs, "forward_sequence")
        h0 = self._state(h0, xs.shape[1], "forward_sequence", "h0")
        hs = np.empty((len(xs), xs.shape[1], self.hidden_size))  # (T, N, H)
        h = h0
        for t, x in enumerate(xs):
            h = self._step(x, h)
            hs[t] = h
        self._cache = {"xs": xs, "h0": h0, "hs": hs}
        return hs

    def backward_sequence(self, grad_hs):
        """Backpropagation through time for the last ``forward_sequence``.

        grad_hs: (T, N, H), dL/dh_t of the loss with respect to every hidden state (zeros where
        a step does not enter the loss). Returns a dict: weight_ih, weight_hh, bias_ih, bias_hh
        (each shaped like its parameter, summed over all steps), xs (T, N, I) and h0 (N, H).
        """
        grad_hs = self._grad_sequence(grad_hs, "backward_sequence")
        xs, h0, hs = self._cache["xs"], self._cache["h0"], self._cache["hs"]
        grads = self._zero_grads()
        grad_xs = np.empty_like(xs)
        grad_h = np.zeros_like(h0)  # dL/dh_t arriving from step t+1 (none after the last step)
        for t in reversed(range(len(xs))):
            h_prev = hs[t - 1] if t > 0 else h0
            grad_h = grad_hs[t] + grad_h  # h_t enters the loss directly and through h_{t+1}
            # dL/dz_t = dL/dh_t * f'(z_t), with tanh' = 1 - h_t^2 and relu' = 1[h_t > 0]
            if self.nonlinearity == "tanh":
                grad_z = grad_h * (1.0 - hs[t] ** 2)
            else:
                grad_z = grad_h * (hs[t] > 0)
            self._accumulate(grads, grad_z, xs[t], grad_z, h_prev)
            grad_xs[t] = grad_z @ self.weight_ih  # (N, H) @ (H, I)
            # one factor W_hh (and one f') per step back: the product that explodes or vanishes
            grad_h = grad_z @ self.weight_hh  # (N, H) @ (H, H)
        grads["xs"], grads["h0"] = grad_xs, grad_h
        return grads


# ------------------------------------------------------------------ long short-term memory
class LSTMCell(_RecurrentCell):
    """Long short-term memory cell (Hochreiter & Schmidhuber 1997), as ``torch.nn.LSTMCell``.

    input_size I, hidden_size H. The four gates are stacked in torch's order (i, f, g, o):
    weight_ih (4H, I), weight_hh (4H, H), bias_ih (4H,), bias_hh (4H,), rows 0:H for the input
    gate i, H:2H the forget gate f, 2H:3H the candidate g, 3H:4H the output gate o; all drawn
    from U(-1/sqrt(H), 1/sqrt(H)) by ``numpy.random.default_rng(seed)``. The state is a pair
    (h, c): the hidden state h that the next layer sees and the cell state c, the memory.
    """

    gates = 4
    last_state = None  # (h_T, c_T) of the last forward_sequence

    def _step(self, x, h, c):
        a = x @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T + self.bias_hh  # (N, 4H)
        a_i, a_f, a_g, a_o = np.split(a, 4, axis=1)  # four (N, H) blocks
        i = sigmoid(a_i)  # LSTM input gate: how much of the candidate to write
        f = sigmoid(a_f)  # LSTM forget gate: how much of the old memory to keep
        g = np.tanh(a_g)  # LSTM candidate memory
        o = sigmoid(a_o)  # LSTM output gate: how much of the memory to show
        c_next = f * c + i * g  # LSTM cell state: c_t = f_t * c_{t-1} + i_t * g_t
        h_next = o * np.tanh(c_next)  # LSTM hidden state: h_t = o_t * tanh(c_t)
        return h_next, c_next, (i, f, g, o)

    def _pair_state(self, state, batch: int, method: str):
        if state is None:
            return self._state(None, batch, method, "h"), self._state(None, batch, method, "c")
        allowed = f"a pair (h, c) of arrays of shape (N, hidden_size) = ({batch}, {self.hidden_size}), or None"
        check_instance(state, "state", f"LSTMCell.{method}", (tuple, list), allowed)
        if len(state) != 2:
            raise ValueError(f"LSTMCell.{method} expects state to be {allowed}; got {len(state)} arrays.")
        return self._state(state[0], batch, method, "h"), self._state(state[1], batch, method, "c")

    def forward(self, x, state=None):
        """One step: x (N, I), state (h, c) with h, c (N, H) (zeros if None) -> (h_next, c_next)."""
        x = self._inputs(x, "forward")
        h, c = self._pair_state(state, x.shape[0], "forward")
        h_next, c_next, _ = self._step(x, h, c)
        return h_next, c_next

    def forward_sequence(self, xs, state=None):
        """Run over a sequence: xs (T, N, I), state (h0, c0) or None -> hs (T, N, H), hs[t] = h_{t+1}.

        hs equals the output of ``torch.nn.LSTM`` (one layer, batch_first=False) with these
        weights; the final state (h_T, c_T), torch's (h_n, c_n), is kept in ``self.last_state``.
        """
        xs = self._sequence(xs, "forward_sequence")
        h0, c0 = self._pair_state(state, xs.shape[1], "forward_sequence")
        T, N = xs.shape[:2]
        hs, cs = np.empty((T, N, self.hidden_size)), np.empty((T, N, self.hidden_size))  # (T, N, H) each
        gates = []
        h, c = h0, c0
        for t, x in enumerate(xs):
            h, c, step_gates = self._step(x, h, c)
            hs[t], cs[t] = h, c
            gates.append(step_gates)
        self._cache = {"xs": xs, "h0": h0, "c0": c0, "hs": hs, "cs": cs, "gates": gates}
        self.last_state = (h, c)
        return hs

    def backward_sequence(self, grad_hs, grad_c_last=None):
        """Backpropagation through time for the last ``forward_sequence``.

        grad_hs: (T, N, H), dL/dh_t for every hidden state; grad_c_last: (N, H), dL/dc_T of the
        final cell state if the loss uses it (e.g. a later chunk of a truncated BPTT), else None.
        Returns a dict: weight_ih, weight_hh, bias_ih, bias_hh (shaped like the parameters),
        xs (T, N, I), h0 (N, H) and c0 (N, H).
        """
        grad_hs = self._grad_sequence(grad_hs, "backward_sequence")
        cache = self._cache
        xs, hs, cs = cache["xs"], cache["hs"], cache["cs"]
        grad_c = self._state(grad_c_last, xs.shape[1], "backward_sequence", "grad_c_last")
        grads = self._zero_grads()
        grad_xs = np.empty_like(xs)
        grad_h = np.zeros_like(cache["h0"])  # dL/dh_t arriving from step t+1
        for t in reversed(range(len(xs))):
            i, f, g, o = cache["gates"][t]
            h_prev, c_prev = (hs[t - 1], cs[t - 1]) if t > 0 else (cache["h0"], cache["c0"])
            tanh_c = np.tanh(cs[t])
            grad_h = grad_hs[t] + grad_h
            # h_t = o_t * tanh(c_t)
            grad_o = grad_h * tanh_c
            grad_c = grad_c + grad_h * o * (1.0 - tanh_c ** 2)  # c_t reaches the loss via h_t and via c_{t+1}
            # c_t = f_t * c_{t-1} + i_t * g_t
            grad_i, grad_f, grad_g = grad_c * g, grad_c * c_prev, grad_c * i
            # through the gate nonlinearities: sigmoid' = s (1 - s), tanh' = 1 - tanh^2
            grad_a = np.concatenate([grad_i * i * (1.0 - i), grad_f * f * (1.0 - f),
                                     grad_g * (1.0 - g ** 2), grad_o * o * (1.0 - o)], axis=1)  # (N, 4H)
            self._accumulate(grads, grad_a, xs[t], grad_a, h_prev)
            grad_xs[t] = grad_a @ self.weight_ih  # (N, 4H) @ (4H, I)
            grad_h = grad_a @ self.weight_hh  # (N, 4H) @ (4H, H)
            # along the memory c the gradient is only scaled by the forget gate, no W_hh and no
            # squashing: this additive path is what lets an LSTM carry gradients over long spans
            grad_c = grad_c * f
        grads["xs"], grads["h0"], grads["c0"] = grad_xs, grad_h, grad_c
        return grads


# ------------------------------------------------------------------ gated recurrent unit
class GRUCell(_RecurrentCell):
    """Gated recurrent unit (Cho et al. 2014), as ``torch.nn.GRUCell``.

    input_size I, hidden_size H. Gates stacked in torch's order (r, z, n): weight_ih (3H, I),
    weight_hh (3H, H), bias_ih (3H,), bias_hh (3H,); rows 0:H for the reset gate r, H:2H the
    update gate z, 2H:3H the candidate n; drawn from U(-1/sqrt(H), 1/sqrt(H)) by
    ``numpy.random.default_rng(seed)``. Unlike the LSTM there is one state h and no output gate.
    """

    gates = 3

    def _step(self, x, h):
        a_x = x @ self.weight_ih.T + self.bias_ih  # (N, 3H), input part of the pre-activations
        a_h = h @ self.weight_hh.T + self.bias_hh  # (N, 3H), recurrent part
        x_r, x_z, x_n = np.split(a_x, 3, axis=1)
        h_r, h_z, h_n = np.split(a_h, 3, axis=1)
        r = sigmoid(x_r + h_r)  # GRU reset gate: how much of the past the candidate may use
        z = sigmoid(x_z + h_z)  # GRU update gate: how much of the old state to keep
        n = np.tanh(x_n + r * h_n)  # GRU candidate; as in torch, r also scales the recurrent bias
        h_next = (1.0 - z) * n + z * h  # GRU state: h_t = (1 - z_t) * n_t + z_t * h_{t-1}
        return h_next, (r, z, n, h_n)

    def forward(self, x, h=None):
        """One step: x (N, I) and h (N, H) (zeros if None) -> the next hidden state (N, H)."""
        x = self._inputs(x, "forward")
        h_next, _ = self._step(x, self._state(h, x.shape[0], "forward", "h"))
        return h_next

    def forward_sequence(self, xs, h0=None):
        """Run over a sequence: xs (T, N, I), h0 (N, H) or None -> hs (T, N, H), hs[t] = h_{t+1}.

        Equals the output of ``torch.nn.GRU`` (one layer, batch_first=False) with these weights.
        """
        xs = self._sequence(xs, "forward_sequence")
        h0 = self._state(h0, xs.shape[1], "forward_sequence", "h0")
        hs = np.empty((len(xs), xs.shape[1], self.hidden_size))  # (T, N, H)
        steps = []
        h = h0
        for t, x in enumerate(xs):
            h, step_cache = self._step(x, h)
            hs[t] = h
            steps.append(step_cache)
        self._cache = {"xs": xs, "h0": h0, "hs": hs, "steps": steps}
        return hs

    def backward_sequence(self, grad_hs):
        """Backpropagation through time for the last ``forward_sequence``.

        grad_hs: (T, N, H), dL/dh_t for every hidden state. Returns a dict: weight_ih,
        weight_hh, bias_ih, bias_hh (shaped like the parameters), xs (T, N, I) and h0 (N, H).
        """
        grad_hs = self._grad_sequence(grad_hs, "backward_sequence")
        xs, h0, hs = self._cache["xs"], self._cache["h0"], self._cache["hs"]
        grads = self._zero_grads()
        grad_xs = np.empty_like(xs)
        grad_h = np.zeros_like(h0)  # dL/dh_t arriving from step t+1
        for t in reversed(range(len(xs))):
            r, z, n, h_n = self._cache["steps"][t]
            h_prev = hs[t - 1] if t > 0 else h0
            grad_h = grad_hs[t] + grad_h
            # h_t = (1 - z_t) * n_t + z_t * h_{t-1}
            grad_n, grad_z, grad_h_direct = grad_h * (1.0 - z), grad_h * (h_prev - n), grad_h * z
            grad_a_n = grad_n * (1.0 - n ** 2)  # n_t = tanh(a_n), a_n = x_n + r_t * h_n
            grad_a_r = grad_a_n * h_n * r * (1.0 - r)  # r_t = sigmoid(a_r)
            grad_a_z = grad_z * z * (1.0 - z)  # z_t = sigmoid(a_z)
            grad_x_part = np.concatenate([grad_a_r, grad_a_z, grad_a_n], axis=1)  # (N, 3H)
            grad_h_part = np.concatenate([grad_a_r, grad_a_z, grad_a_n * r], axis=1)  # (N, 3H): h_n is scaled by r
            self._accumulate(grads, grad_x_part, xs[t], grad_h_part, h_prev)
            grad_xs[t] = grad_x_part @ self.weight_ih  # (N, 3H) @ (3H, I)
            grad_h = grad_h_direct + grad_h_part @ self.weight_hh  # (N, 3H) @ (3H, H)
        grads["xs"], grads["h0"] = grad_xs, grad_h
        return grads


# ------------------------------------------------------------------ gradient clipping
def clip_grad_norm(grads, max_norm) -> float:
    """Rescale gradients in place when their joint L2 norm exceeds max_norm (``torch.nn.utils.clip_grad_norm_``).

    grads: a float NumPy array or a list of them (any shapes), treated as one long vector g;
    max_norm: a non-negative number. If ||g|| > max_norm, every array is multiplied by
    max_norm / (||g|| + 1e-6) (torch's small constant guards the division), so the direction
    is kept and the norm becomes max_norm. Returns ||g|| as it was before clipping.
    """
    arrays = [grads] if isinstance(grads, np.ndarray) else grads
    if isinstance(arrays, (dict, str)) or not hasattr(arrays, "__iter__"):
        raise TypeError("clip_grad_norm expects grads to be a NumPy array or a list of them; "
                        f"got {type(grads).__name__}.")
    arrays = list(arrays)
    for index, g in enumerate(arrays):
        if not isinstance(g, np.ndarray) or g.dtype.kind != "f":
            what = f"{g.dtype} array" if isinstance(g, np.ndarray) else type(g).__name__
            raise TypeError(f"clip_grad_norm expects grads[{index}] to be a float NumPy array it can rescale in "
                            f"place; got {what}.")
    max_norm = check_real(max_norm, "max_norm", "clip_grad_norm", minimum=0)
    # the norm of the per-array norms is the norm of all entries together, as torch computes it
    total_norm = float(np.linalg.norm([np.linalg.norm(g) for g in arrays])) if arrays else 0.0
    clip_coef = max_norm / (total_norm + 1e-6)
    if clip_coef < 1 or math.isnan(clip_coef):
        # A non-finite norm spoils the gradients as in torch: a nan norm makes every entry nan,
        # an infinite one gives coefficient 0 and inf * 0 = nan (silenced: that is the answer).
        with np.errstate(invalid="ignore"):
            for g in arrays:
                g *= clip_coef
    return total_norm
