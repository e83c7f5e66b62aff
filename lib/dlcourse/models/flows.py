"""Normalizing flows: densities by change of variables (lecture 17).

A flow is an invertible map f from data x to noise z = f(x), built as a stack of layers
f = f_K o ... o f_1, with a standard normal base density p_z. The change-of-variables
formula gives the density of the data exactly::

    log p_x(x) = log p_z(f(x)) + sum_k log |det J_{f_k}(h_{k-1})|,   h_0 = x, h_k = f_k(h_{k-1})

so each layer must return, besides its output, the log-determinant of its Jacobian, and
that must be cheap (a general determinant costs O(n^3)). Two layer kinds:

- ``PlanarFlow``     f(z) = z + u_hat h(w^T z + b), log|det| = log|1 + u_hat^T psi(z)|,
                     psi(z) = h'(w^T z + b) w (Rezende & Mohamed 2015); inverted numerically
- ``AffineCoupling`` y_1 = x_1, y_2 = x_2 * exp(s(x_1)) + t(x_1), log|det| = sum s(x_1),
                     inverted in closed form (Dinh, Sohl-Dickstein & Bengio 2017, RealNVP)
- ``Flow``           a stack of layers with a standard normal base: ``log_prob``, ``sample``,
                     ``inverse``, ``forward_path`` (the points after every layer)
- ``coupling_flow``  a RealNVP stack with alternating masks; ``planar_flow`` a planar stack
- ``train_flow``     maximum likelihood: minimise the mean of -log p_x(x) with Adam
- ``gaussian_nll``   the baseline: the best single Gaussian's mean negative log-likelihood
- ``density_on_grid``  p_x on a grid of the plane, for heat maps and for checking that it integrates to 1

Direction: every layer's ``forward`` goes from data towards noise (the direction in which
densities are evaluated) and returns (output, log_det); ``inverse`` goes back (the direction
in which samples are drawn).
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .. import config
from .._loop import TrainingLog
from .._validation import as_numpy, check_array, check_batch, check_instance, check_int, check_real, check_tensor
from .._validation import check_widths
from ..config import progress as _progress

__all__ = ["PlanarFlow", "AffineCoupling", "Flow", "coupling_flow", "planar_flow", "train_flow", "gaussian_nll",
           "density_on_grid"]

_LOG_2PI = math.log(2 * math.pi)


# =================================================================================== layers
class PlanarFlow(nn.Module):
    """A planar layer f(z) = z + u_hat tanh(w^T z + b) (Rezende & Mohamed 2015).

    It pushes space along the direction u_hat, by an amount that changes across the
    hyperplane w^T z + b = 0. The Jacobian I + u_hat psi(z)^T is the identity plus a rank-one
    matrix, so (matrix determinant lemma) det = 1 + u_hat^T psi(z), with psi(z) = tanh'(w^T z + b) w:
    O(n) instead of O(n^3).
    f is invertible when w^T u_hat >= -1; the paper's reparameterisation guarantees it:
    u_hat = u + (m(w^T u) - w^T u) w / ||w||^2, m(a) = -1 + softplus(a).

    dim n: size of a point. ``forward(z)`` maps (N, n) -> (f(z) (N, n), log|det J| (N,)).
    ``inverse(y)`` solves f(z) = y: w^T z is the root of a monotone scalar equation, found by
    bisection, then z = y - u_hat tanh(w^T z + b).
    """

    def __init__(self, dim=2):
        super().__init__()
        self.dim = check_int(dim, "dim", "PlanarFlow", minimum=1)
        self.w = nn.Parameter(torch.randn(self.dim))
        self.u = nn.Parameter(torch.zeros(self.dim))
        self.b = nn.Parameter(torch.zeros(()))

    def u_hat(self):
        """u moved along w so that w^T u_hat = -1 + softplus(w^T u) > -1: f stays invertible. (n,)"""
        wu = self.w @ self.u
        return self.u + (-1 + F.softplus(wu) - wu) * self.w / (self.w @ self.w)

    def forward(self, z):
        check_batch(z, "z", "PlanarFlow", self.dim)
        u_hat = self.u_hat()
        a = z @ self.w + self.b                                 # (N,) w^T z + b
        y = z + u_hat * torch.tanh(a)[:, None]                   # f(z) = z + u_hat h(w^T z + b)
        psi = (1 - torch.tanh(a) ** 2)[:, None] * self.w         # (N, n) psi(z) = h'(w^T z + b) w
        log_det = torch.log(torch.abs(1 + psi @ u_hat))         # log |1 + u_hat^T psi(z)|
        return y, log_det

    @torch.no_grad()
    def inverse(self, y, iterations=60):
        """z with f(z) = y, (N, n) -> (N, n). With alpha = w^T z, w^T y = alpha + (w^T u_hat) tanh(alpha + b)
        increases with alpha and differs from it by at most |w^T u_hat|: bisect in that bracket."""
        check_batch(y, "y", "PlanarFlow.inverse", self.dim)
        iterations = check_int(iterations, "iterations", "PlanarFlow.inverse", minimum=1)
        u_hat = self.u_hat()
        c, target = self.w @ u_hat, y @ self.w                   # scalar, (N,)
        low, high = target - c.abs() - 1e-6, target + c.abs() + 1e-6
        for _ in range(iterations):
            alpha = (low + high) / 2
            too_small = alpha + c * torch.tanh(alpha + self.b) < target
            low, high = torch.where(too_small, alpha, low), torch.where(too_small, high, alpha)
        alpha = (low + high) / 2
        return y - u_hat * torch.tanh(alpha + self.b)[:, None]


class AffineCoupling(nn.Module):
    """An affine coupling layer (Dinh, Sohl-Dickstein & Bengio 2017, RealNVP).

    The mask splits x into the part x_1 that is kept (mask 1) and the part x_2 that is
    changed (mask 0); one network reads x_1 and returns a log-scale s and a shift t::

        y_1 = x_1,   y_2 = x_2 * exp(s(x_1)) + t(x_1),   log|det J| = sum s(x_1)

    The Jacobian is triangular (y_1 does not depend on x_2) with diagonal (1, exp s), and the
    inverse x_2 = (y_2 - t(y_1)) * exp(-s(y_1)) needs no inverse of the network.

    mask: a 0/1 vector of length n with at least one 1 and one 0; hidden: the network's widths.
    s = tanh(raw s) keeps each scale step within [1/e, e], which keeps training stable. The
    network's last layer starts at zero, so a new layer is the identity (s = t = 0).
    ``forward(x)`` maps (N, n) -> (y (N, n), log|det J| (N,)); ``inverse(y)`` maps (N, n) -> (N, n).
    """

    def __init__(self, mask, hidden=(64, 64)):
        super().__init__()
        mask = check_array(mask, "mask", "AffineCoupling", ndim=1, allowed="a 0/1 vector such as [1, 0]")
        if not np.all((mask == 0) | (mask == 1)) or mask.min() == 1 or mask.max() == 0:
            raise ValueError(f"AffineCoupling expects mask to be a 0/1 vector with at least one 1 and one 0, "
                             f"such as [1, 0]; got {mask.tolist()}.")
        hidden = check_widths(hidden, "hidden", "AffineCoupling")
        self.dim = len(mask)
        self.register_buffer("mask", torch.tensor(mask, dtype=torch.float32))
        widths = [self.dim, *hidden]
        layers = []
        for fan_in, fan_out in zip(widths[:-1], widths[1:]):
            layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
        layers.append(nn.Linear(widths[-1], 2 * self.dim))      # s and t for every coordinate
        self.net = nn.Sequential(*layers)
        nn.init.zeros_(self.net[-1].weight)
        nn.init.zeros_(self.net[-1].bias)

    def scale_and_shift(self, x_1):
        """s(x_1), t(x_1), both (N, n), zero on the kept coordinates. x_1: (N, n), x * mask."""
        s, t = self.net(x_1).chunk(2, dim=1)
        keep = self.mask
        return torch.tanh(s) * (1 - keep), t * (1 - keep)

    def forward(self, x):
        check_batch(x, "x", "AffineCoupling", self.dim)
        keep = self.mask.to(x.dtype)
        s, t = self.scale_and_shift(x * keep)
        y = x * keep + (1 - keep) * (x * torch.exp(s) + t)       # y_1 = x_1, y_2 = x_2 exp(s) + t
        return y, s.sum(dim=1)                                   # log|det J| = sum s(x_1)

    def inverse(self, y):
        check_batch(y, "y", "AffineCoupling.inverse", self.dim)
        keep = self.mask.to(y.dtype)
        s, t = self.scale_and_shift(y * keep)                    # x_1 = y_1, so s and t are known
        return y * keep + (1 - keep) * (y - t) * torch.exp(-s)   # x_2 = (y_2 - t) exp(-s)


# ===================================================================================== flow
class Flow(nn.Module):
    """A stack of flow layers from data x to noise z, with the standard normal base N(0, I).

    layers: a list of modules, each with ``forward(x) -> (y, log_det)``, ``inverse(y)`` and
    the same ``dim`` n (``PlanarFlow``, ``AffineCoupling``).

        log p_x(x) = log N(z; 0, I) + sum_k log|det J_k|,   z = f_K(... f_1(x))

    ``forward(x)``: (N, n) -> (z (N, n), summed log_det (N,)); ``log_prob(x)``: (N,);
    ``inverse(z)``: (N, n) -> x; ``sample(n, generator)``: (n, dim);
    ``forward_path(x)``: [x, h_1, ..., h_K = z], K + 1 tensors (N, n), without gradients.
    """

    def __init__(self, layers):
        super().__init__()
        check_instance(layers, "layers", "Flow", (list, tuple, nn.ModuleList), "a list of flow layers")
        if len(layers) == 0:
            raise ValueError("Flow expects layers to be a non-empty list of flow layers; got an empty list.")
        for layer in layers:
            check_instance(layer, "each of layers", "Flow", nn.Module, "a flow layer (PlanarFlow, AffineCoupling)")
        dims = {getattr(layer, "dim", None) for layer in layers}
        if len(dims) != 1 or None in dims:
            raise ValueError(f"Flow expects layers that all have the same dim; got dims {sorted(map(str, dims))}.")
        self.layers = nn.ModuleList(layers)
        self.dim = dims.pop()

    def forward(self, x):
        check_batch(x, "x", "Flow", self.dim)
        log_det = torch.zeros(len(x), dtype=x.dtype)
        for layer in self.layers:
            x, layer_log_det = layer(x)
            log_det = log_det + layer_log_det
        return x, log_det

    def log_prob(self, x):
        """log p_x(x) for each row of x (N, n): log N(f(x); 0, I) + log|det J_f(x)|. (N,)"""
        z, log_det = self(x)
        log_base = -0.5 * (z ** 2).sum(dim=1) - 0.5 * self.dim * _LOG_2PI   # log N(z; 0, I)
        return log_base + log_det

    def inverse(self, z):
        """x = f_1^{-1}(... f_K^{-1}(z)), (N, n) -> (N, n): the layers undone in reverse order."""
        check_batch(z, "z", "Flow.inverse", self.dim)
        for layer in reversed(self.layers):
            z = layer.inverse(z)
        return z

    @torch.no_grad()
    def sample(self, n, generator=None):
        """n points of the model: z ~ N(0, I) pushed through the inverse. (n, dim)"""
        n = check_int(n, "n", "Flow.sample", minimum=1)
        if generator is not None:
            check_instance(generator, "generator", "Flow.sample", torch.Generator, "a torch.Generator or None")
        dtype = next(self.parameters()).dtype
        return self.inverse(torch.randn(n, self.dim, generator=generator, dtype=dtype))

    @torch.no_grad()
    def forward_path(self, x):
        """The points after every layer: [x, f_1(x), f_2(f_1(x)), ..., z], K + 1 tensors (N, n)."""
        check_batch(x, "x", "Flow.forward_path", self.dim)
        path = [x]
        for layer in self.layers:
            path.append(layer(path[-1])[0])
        return path


def coupling_flow(dim=2, layers=8, hidden=(64, 64)):
    """A RealNVP flow: ``layers`` affine couplings whose masks alternate, so that every
    coordinate is changed by every second layer. In 2-D the masks are (1, 0), (0, 1), (1, 0), ...;
    in n dimensions the first half of the coordinates, then the second half. Starts as the identity."""
    dim = check_int(dim, "dim", "coupling_flow", minimum=2)
    layers = check_int(layers, "layers", "coupling_flow", minimum=1)
    first_half = (np.arange(dim) < dim // 2).astype(float)
    return Flow([AffineCoupling(first_half if k % 2 == 0 else 1 - first_half, hidden) for k in range(layers)])


def planar_flow(dim=2, layers=16):
    """A flow of ``layers`` planar layers in ``dim`` dimensions."""
    dim = check_int(dim, "dim", "planar_flow", minimum=1)
    layers = check_int(layers, "layers", "planar_flow", minimum=1)
    return Flow([PlanarFlow(dim) for _ in range(layers)])


# ============================================================================ training loop
def train_flow(flow, X, *, steps, batch_size=256, lr=1e-3, seed=0, live=None, progress=True):
    """Fit a flow by maximum likelihood: minimise the mean of -log p_x(x) over mini-batches.

    Each step::

        x ~ batch_size rows of X, drawn with replacement
        L = -1/m sum_i log p_x(x_i)            # Flow.log_prob: base density + log-determinants
        theta <- Adam step on grad_theta L

    flow: a ``Flow``; X: data (N, dim), NumPy array or tensor; steps: number of updates;
    batch_size m; lr: Adam's learning rate; seed: seeds the batches, so with fixed initial
    weights a run repeats exactly; live: draw the loss while it trains (None: only in Jupyter).
    Returns {"nll": per-step mean negative log-likelihood, in nats}. The flow ends in eval mode.
    """
    X, batches = _checked_flow_arguments(flow, X, steps, batch_size, lr, seed)
    optimizer = torch.optim.Adam(flow.parameters(), lr=lr)
    flow.train()
    with TrainingLog(["nll"], live=live, xlabel="step") as log:
        for step in _progress(range(1, steps + 1), desc="flow steps", disable=not progress):
            x = X[torch.randint(len(X), (batch_size,), generator=batches)]
            loss = -flow.log_prob(x).mean()                      # negative log-likelihood
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            log.record(step, nll=loss)
    flow.eval()
    return log.history


def _checked_flow_arguments(flow, X, steps, batch_size, lr, seed):
    """train_flow's arguments checked: X as a float tensor and the run's seeded torch.Generator."""
    check_instance(flow, "flow", "train_flow", Flow, "a Flow (e.g. coupling_flow())")
    check_int(steps, "steps", "train_flow", minimum=1)
    check_int(batch_size, "batch_size", "train_flow", minimum=1)
    check_real(lr, "lr", "train_flow", minimum=0, open_minimum=True, allowed="a positive learning rate")
    X = check_tensor(X, "X", "train_flow", examples=True, ndim=2)
    if X.shape[1] != flow.dim:
        raise ValueError(f"train_flow expects X of shape (N, {flow.dim}) for a flow in {flow.dim} dimensions; "
                         f"got shape {tuple(X.shape)}.")
    return X, config.torch_generator(check_int(seed, "seed", "train_flow", minimum=0))


# ================================================================================ baselines
def gaussian_nll(X_train, X_test):
    """Mean negative log-likelihood (nats per point) of X_test under the best single Gaussian
    for X_train: N(mean, covariance) with the maximum-likelihood mean and covariance.

    X_train (N, n), X_test (M, n): arrays or tensors. Returns a float.
    """
    X_train = check_array(X_train, "X_train", "gaussian_nll", ndim=2, allowed="an array of shape (N, n)", finite=True)
    X_test = check_array(X_test, "X_test", "gaussian_nll", ndim=2, allowed="an array of shape (M, n)", finite=True)
    if X_train.shape[1] != X_test.shape[1] or len(X_train) <= X_train.shape[1]:
        raise ValueError(f"gaussian_nll expects X_train (N, n) with N > n and X_test (M, n) of the same width; "
                         f"got shapes {X_train.shape} and {X_test.shape}.")
    mean = X_train.mean(axis=0)
    covariance = np.cov(X_train, rowvar=False, bias=True).reshape(X_train.shape[1], -1)
    _, log_det = np.linalg.slogdet(covariance)
    centred = X_test - mean
    mahalanobis = np.einsum("ij,ij->i", centred @ np.linalg.inv(covariance), centred)
    return float(np.mean(0.5 * (mahalanobis + log_det + X_train.shape[1] * _LOG_2PI)))


@torch.no_grad()
def density_on_grid(flow, xlim=(-3.0, 3.0), ylim=(-3.0, 3.0), resolution=200):
    """The flow's density p_x on a regular grid of a rectangle of the plane.

    flow: a 2-D ``Flow``; xlim, ylim: (low, high); resolution: grid points along each side.
    Returns x1, x2, density, each (resolution, resolution) NumPy arrays (as ``np.meshgrid``
    gives them). The sum of density times the cell area approximates the mass in the rectangle.
    """
    check_instance(flow, "flow", "density_on_grid", Flow, "a Flow")
    if flow.dim != 2:
        raise ValueError(f"density_on_grid expects a flow in 2 dimensions; got one in {flow.dim}.")
    resolution = check_int(resolution, "resolution", "density_on_grid", minimum=2)
    limits = [check_array(lim, name, "density_on_grid", shape=(2,), allowed="a pair (low, high)", finite=True)
              for name, lim in (("xlim", xlim), ("ylim", ylim))]
    if any(low >= high for low, high in limits):
        raise ValueError(f"density_on_grid expects xlim and ylim with low < high; got {xlim} and {ylim}.")
    x1, x2 = np.meshgrid(np.linspace(*limits[0], resolution), np.linspace(*limits[1], resolution))
    dtype = next(flow.parameters()).dtype
    grid = torch.tensor(np.column_stack([x1.ravel(), x2.ravel()]), dtype=dtype)   # (R*R, 2)
    was_training = flow.training
    flow.eval()
    density = torch.exp(flow.log_prob(grid))
    flow.train(was_training)
    return x1, x2, as_numpy(density).reshape(x1.shape)
