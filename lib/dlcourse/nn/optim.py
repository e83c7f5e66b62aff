"""Gradient-based optimisers in NumPy, step for step the same as ``torch.optim`` (lecture 05).

Every optimiser shares one verb::

    opt = Adam(lr=1e-3)
    for _ in range(steps):
        loss = model.loss(X, y); model.backward(y)
        opt.step(model.params, model.grads)   # updates the arrays in model.params in place

``params`` and ``grads`` are lists of NumPy arrays in matching order; the optimiser keeps
its running averages per position in that list, so pass the same parameters in the same
order at every step (or call ``reset()`` before optimising others). Names, defaults and
update rules follow torch 2.x: weight decay is the L2 form ``g <- g + lambda * theta``.

The file ends with three 2-D test surfaces and ``trajectory``, which records the path an
optimiser takes on one of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .._validation import check_array, check_flag, check_instance, check_int, check_real, shown

__all__ = ["SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "Surface", "saddle", "narrow_valley", "rosenbrock",
           "trajectory"]


class _Optimizer:
    """Validation, weight decay and per-parameter state shared by all optimisers.

    A subclass sets its hyper-parameters in ``__init__`` and implements
    ``_init_state(param) -> dict`` and ``_update(param, grad, state)``, where ``grad``
    already includes weight decay and ``self.t`` is the number of the current step (1, 2, ...).
    """

    def __init__(self, lr: float, weight_decay: float):
        self.lr = self._number("lr", lr, minimum=0)
        self.weight_decay = self._number("weight_decay", weight_decay, minimum=0)
        self.t = 0
        self._state: list[dict] | None = None
        self._shapes: list[tuple] | None = None

    # ------------------------------------------------------------ validation helpers
    def _number(self, name: str, value, **bounds) -> float:
        """``check_real`` naming this optimiser, e.g. "Adam expects eps to be a non-negative number"."""
        return check_real(value, name, type(self).__name__, **bounds)

    def _check(self, params, grads) -> list[np.ndarray]:
        """Check the lists and return the gradients as float arrays (params are used as given)."""
        name = f"{type(self).__name__}.step"
        if not isinstance(params, (list, tuple)) or not isinstance(grads, (list, tuple)):
            raise TypeError(f"{name} expects params and grads to be lists of NumPy arrays; "
                            f"got {type(params).__name__} and {type(grads).__name__}.")
        if len(params) != len(grads):
            raise ValueError(f"{name} got {len(params)} params but {len(grads)} grads; "
                             "pass one gradient per parameter, in the same order.")
        checked = []
        for i, (p, g) in enumerate(zip(params, grads)):
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                what = f"{p.dtype} array" if isinstance(p, np.ndarray) else type(p).__name__
                raise TypeError(f"{name} expects params[{i}] to be a float NumPy array it can update in place; "
                                f"got {what}.")
            g = np.asarray(g, dtype=p.dtype)
            if g.shape != p.shape:
                raise ValueError(f"{name} expects grads[{i}] to have the shape of params[{i}], {p.shape}; "
                                 f"got shape {g.shape}.")
            checked.append(g)
        shapes = [p.shape for p in params]
        if self._shapes is not None and shapes != self._shapes:
            raise ValueError(f"{name} got params of shapes {shapes}, but its state belongs to params of shapes "
                             f"{self._shapes}; call reset() before optimising other parameters.")
        return checked

    # ------------------------------------------------------------ the public verbs
    def step(self, params, grads) -> None:
        """Update every array in ``params`` in place by one step.

        params: list of float arrays (any shapes); grads: list of arrays of the same shapes,
        the gradient of the loss with respect to each parameter. The grads are not modified.
        """
        grads = self._check(params, grads)
        if self._state is None:
            self._state = [self._init_state(p) for p in params]
            self._shapes = [p.shape for p in params]
        self.t += 1
        for param, grad, state in zip(params, grads, self._state):
            if self.weight_decay != 0:
                grad = grad + self.weight_decay * param  # L2 penalty: g <- g + lambda theta
            self._update(param, grad, state)

    def reset(self) -> None:
        """Forget the step count and all running averages (as a freshly made optimiser)."""
        self.t = 0
        self._state = None
        self._shapes = None

    zero_state = reset

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_") and k != "t")
        return f"{type(self).__name__}({settings})"

    def _init_state(self, param: np.ndarray) -> dict:
        return {}

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict) -> None:
        raise NotImplementedError


class SGD(_Optimizer):
    """Stochastic gradient descent, with optional (heavy-ball or Nesterov) momentum.

    theta <- theta - lr * g without momentum. With momentum mu, a velocity ("buffer") b
    accumulates past gradients (Polyak 1964); ``nesterov=True`` uses the look-ahead form
    of Sutskever et al. (2013). ``dampening`` tau scales the new gradient in b.
    """

    def __init__(self, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False):
        super().__init__(lr, weight_decay)
        self.momentum = self._number("momentum", momentum, minimum=0)
        self.dampening = self._number("dampening", dampening, allowed="a finite number")
        self.nesterov = check_flag(nesterov, "nesterov", type(self).__name__)
        if self.nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError("SGD with nesterov=True expects momentum > 0 and dampening = 0; "
                             f"got momentum={momentum!r}, dampening={dampening!r}.")

    def _update(self, param, grad, state):
        if self.momentum != 0:
            if "b" not in state:
                state["b"] = grad.copy()  # b_1 = g_1
            else:
                state["b"] = self.momentum * state["b"] + (1 - self.dampening) * grad  # b_t = mu b_{t-1} + (1-tau) g_t
            if self.nesterov:
                grad = grad + self.momentum * state["b"]  # look ahead: g_t <- g_t + mu b_t
            else:
                grad = state["b"]  # heavy ball: g_t <- b_t
        param -= self.lr * grad  # theta_t = theta_{t-1} - lr g_t


class Adagrad(_Optimizer):
    """Adagrad (Duchi et al. 2011): per-coordinate steps shrink with the sum of squared gradients.

    ``lr_decay`` eta divides the learning rate by 1 + (t - 1) eta; ``initial_accumulator_value``
    is where the sum starts.
    """

    def __init__(self, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10):
        super().__init__(lr, weight_decay)
        self.lr_decay = self._number("lr_decay", lr_decay, minimum=0)
        self.initial_accumulator_value = self._number("initial_accumulator_value", initial_accumulator_value,
                                                      minimum=0)
        self.eps = self._number("eps", eps, minimum=0)

    def _init_state(self, param):
        return {"G": np.full_like(param, self.initial_accumulator_value)}

    def _update(self, param, grad, state):
        lr_t = self.lr / (1 + (self.t - 1) * self.lr_decay)  # decayed rate: lr / (1 + (t-1) eta)
        state["G"] += grad * grad  # G_t = G_{t-1} + g_t^2
        param -= lr_t * grad / (np.sqrt(state["G"]) + self.eps)  # theta_t = theta_{t-1} - lr g_t / (sqrt(G_t) + eps)


class Adadelta(_Optimizer):
    """Adadelta (Zeiler 2012): the step is rescaled by the RMS of past steps over the RMS of gradients.

    Both running averages decay with ``rho``; ``lr`` scales the final step (1.0 in the paper).
    """

    def __init__(self, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0):
        super().__init__(lr, weight_decay)
        self.rho = self._number("rho", rho, minimum=0, maximum=1)
        self.eps = self._number("eps", eps, minimum=0)

    def _init_state(self, param):
        return {"v": np.zeros_like(param), "u": np.zeros_like(param)}

    def _update(self, param, grad, state):
        rho, eps = self.rho, self.eps
        state["v"] = rho * state["v"] + (1 - rho) * grad * grad  # v_t = rho v_{t-1} + (1-rho) g_t^2
        delta = np.sqrt(state["u"] + eps) / np.sqrt(state["v"] + eps) * grad  # dx_t = RMS[dx]_{t-1} / RMS[g]_t g_t
        state["u"] = rho * state["u"] + (1 - rho) * delta * delta  # u_t = rho u_{t-1} + (1-rho) dx_t^2
        param -= self.lr * delta  # theta_t = theta_{t-1} - lr dx_t


class RMSprop(_Optimizer):
    """RMSprop (Tieleman & Hinton 2012): divide the gradient by a running RMS of recent gradients.

    ``alpha`` is the decay of the running average of g^2; ``centered=True`` subtracts the
    squared running mean of g (an estimate of the variance); ``momentum`` adds a buffer.
    """

    def __init__(self, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False):
        super().__init__(lr, weight_decay)
        self.alpha = self._number("alpha", alpha, minimum=0, maximum=1)
        self.eps = self._number("eps", eps, minimum=0)
        self.momentum = self._number("momentum", momentum, minimum=0)
        self.centered = check_flag(centered, "centered", type(self).__name__)

    def _init_state(self, param):
        return {"v": np.zeros_like(param), "g_avg": np.zeros_like(param), "b": np.zeros_like(param)}

    def _update(self, param, grad, state):
        alpha = self.alpha
        state["v"] = alpha * state["v"] + (1 - alpha) * grad * grad  # v_t = alpha v_{t-1} + (1-alpha) g_t^2
        v_tilde = state["v"]
        if self.centered:
            state["g_avg"] = alpha * state["g_avg"] + (1 - alpha) * grad  # running mean of g
            v_tilde = v_tilde - state["g_avg"] ** 2  # variance estimate: v_t - (g_avg_t)^2
        scaled = grad / (np.sqrt(v_tilde) + self.eps)  # g_t / (sqrt(v_t) + eps)
        if self.momentum > 0:
            state["b"] = self.momentum * state["b"] + scaled  # b_t = mu b_{t-1} + g_t / (sqrt(v_t) + eps)
            param -= self.lr * state["b"]  # theta_t = theta_{t-1} - lr b_t
        else:
            param -= self.lr * scaled  # theta_t = theta_{t-1} - lr g_t / (sqrt(v_t) + eps)


class Adam(_Optimizer):
    """Adam (Kingma & Ba 2014): momentum on g and RMSprop on g^2, both bias-corrected.

    ``betas`` = (beta1, beta2) are the decays of the first and second moment estimates;
    ``amsgrad=True`` divides by the running maximum of v (Reddi et al. 2018).
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False):
        super().__init__(lr, weight_decay)
        check_instance(betas, "betas", "Adam", (tuple, list), "a pair (beta1, beta2)")
        if len(betas) != 2:
            raise ValueError(f"Adam expects betas to be a pair (beta1, beta2); got {shown(betas)}.")
        beta1 = self._number("betas[0]", betas[0], minimum=0, maximum=1, open_maximum=True)
        beta2 = self._number("betas[1]", betas[1], minimum=0, maximum=1, open_maximum=True)
        self.betas = (beta1, beta2)
        self.eps = self._number("eps", eps, minimum=0)
        self.amsgrad = check_flag(amsgrad, "amsgrad", type(self).__name__)

    def _init_state(self, param):
        return {"m": np.zeros_like(param), "v": np.zeros_like(param), "v_max": np.zeros_like(param)}

    def _update(self, param, grad, state):
        beta1, beta2 = self.betas
        state["m"] = beta1 * state["m"] + (1 - beta1) * grad  # m_t = beta1 m_{t-1} + (1-beta1) g_t
        state["v"] = beta2 * state["v"] + (1 - beta2) * grad * grad  # v_t = beta2 v_{t-1} + (1-beta2) g_t^2
        m_hat = state["m"] / (1 - beta1 ** self.t)  # bias correction: m_t / (1 - beta1^t)
        if self.amsgrad:
            state["v_max"] = np.maximum(state["v_max"], state["v"])  # v_max_t = max(v_max_{t-1}, v_t)
            v_hat = state["v_max"] / (1 - beta2 ** self.t)
        else:
            v_hat = state["v"] / (1 - beta2 ** self.t)  # bias correction: v_t / (1 - beta2^t)
        param -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)  # theta_t = theta_{t-1} - lr m_hat / (sqrt(v_hat) + eps)


# ------------------------------------------------------------------ 2-D test surfaces
@dataclass(frozen=True)
class Surface:
    """A function of two variables to race optimisers on.

    f(x, y) and grad(x, y) -> (df/dx, df/dy) work elementwise on floats or arrays;
    start is the default starting point, minimum a global minimiser, xlim/ylim a window
    that shows the interesting part.
    """

    name: str
    f: Callable
    grad: Callable
    start: tuple[float, float]
    minimum: tuple[float, float]
    xlim: tuple[float, float]
    ylim: tuple[float, float]


# A saddle at the origin (Hessian diag(1, -1), locally (x^2 - y^2) / 2) between two minima at (0, +-1).
saddle = Surface(
    name="saddle",
    f=lambda x, y: 0.5 * x**2 + 0.25 * y**4 - 0.5 * y**2,
    grad=lambda x, y: (x, y**3 - y),
    start=(-1.8, 1e-3),
    minimum=(0.0, 1.0),
    xlim=(-2.0, 2.0),
    ylim=(-1.6, 1.6),
)

# A narrow valley: curvature 0.1 along x and 10 along y (condition number 100).
narrow_valley = Surface(
    name="narrow valley",
    f=lambda x, y: 0.05 * x**2 + 5.0 * y**2,
    grad=lambda x, y: (0.1 * x, 10.0 * y),
    start=(-9.0, 1.0),
    minimum=(0.0, 0.0),
    xlim=(-10.0, 2.0),
    ylim=(-1.5, 1.5),
)

# Rosenbrock (1960): a curved, flat-bottomed valley around the parabola y = x^2, minimum at (1, 1).
rosenbrock = Surface(
    name="rosenbrock",
    f=lambda x, y: (1 - x) ** 2 + 100.0 * (y - x**2) ** 2,
    grad=lambda x, y: (-2 * (1 - x) - 400.0 * x * (y - x**2), 200.0 * (y - x**2)),
    start=(-1.2, 1.0),
    minimum=(1.0, 1.0),
    xlim=(-2.0, 2.0),
    ylim=(-1.0, 3.0),
)

_ESCAPED = 1e6  # a point this far from the origin has diverged; stop before floats overflow


def trajectory(optimizer, surface: Surface, start=None, steps: int = 100) -> np.ndarray:
    """The path of ``optimizer`` on ``surface`` from ``start`` (default ``surface.start``).

    Returns an array of shape (steps + 1, 2): row 0 is the start, row k the point after k
    steps. If the point leaves the box |x|, |y| <= 1e6 (divergence), the rows after that
    are NaN. The optimiser is reset first, so one object can draw several paths.
    """
    if not isinstance(optimizer, _Optimizer):
        kind = type(optimizer)
        raise TypeError("trajectory expects a dlcourse.nn.optim optimiser such as Adam(lr=0.1); "
                        f"got {kind.__module__}.{kind.__qualname__}.")
    check_instance(surface, "surface", "trajectory", Surface, "a Surface such as narrow_valley")
    steps = check_int(steps, "steps", "trajectory", minimum=0)
    point = check_array(surface.start if start is None else start, "start", "trajectory", shape=(2,),
                        allowed="two finite numbers (x, y)", finite=True).copy()  # the steps update it in place
    path = np.full((steps + 1, 2), np.nan)
    path[0] = point
    optimizer.reset()
    for k in range(1, steps + 1):
        grad = np.array(surface.grad(point[0], point[1]), dtype=np.float64)  # (2,)
        optimizer.step([point], [grad])
        if not np.all(np.abs(point) <= _ESCAPED):  # also catches NaN
            break
        path[k] = point
    return path
