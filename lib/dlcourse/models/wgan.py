"""Wasserstein GANs: a critic in place of a discriminator (lecture 12).

The Wasserstein-1 (earth mover's) distance between the data p* and the model p_theta has
the dual form of Kantorovich and Rubinstein::

    W(p*, p_theta) = sup_{||f||_L <= 1}  E_{x ~ p*}[f(x)] - E_{x ~ p_theta}[f(x)]

A WGAN (Arjovsky, Chintala & Bottou 2017) lets a network f(x; phi), the *critic*, stand in
for f: the critic climbs the bracket (its loss is the bracket with a minus sign), the
generator then lowers -E_z[f(G(z))], i.e. it moves its samples where f is large. The
critic's score is a real number, not a probability, so there is no sigmoid and no log.

f must stay (roughly) 1-Lipschitz; the two classic ways:

- weight clipping: after every critic step clamp each weight into [-c, c] (Arjovsky et al.
  2017, c = 0.01, RMSprop). The critic is then K-Lipschitz for some unknown K that depends
  on c and on the architecture, so it estimates W only up to that scale (at most K * W).
- gradient penalty: add lambda * E[(||grad f(x_hat)|| - 1)^2] on points x_hat between real
  and fake samples (Gulrajani et al. 2017, lambda = 10, Adam with betas (0, 0.9)).

Sign convention: the critic is high on real data and low on generated data. (Deck 003 writes
the bracket the other way round, E_{p_theta}[f] - E_{p*}[f]; replacing f by -f turns one
into the other, so both suprema equal W.)

- ``Critic``           a fully connected critic: input_dim -> hidden... -> 1 score
- ``LineGenerator``    the model family of the parallel-lines example, G(z; theta) = (theta, z)
- ``critic_loss``      mean f(fake) - mean f(real), what the critic minimises
- ``clip_weights``     clamp every parameter of a module into [-c, c], in place
- ``gradient_penalty`` the penalty of Gulrajani et al. (2017) on random interpolates
- ``train_wgan``       the alternating algorithm: n_critic critic steps, then one generator step
- ``plot_critic``      the critic's scores as a filled contour over the plane, with samples
"""
from __future__ import annotations

import math
import numbers

import numpy as np
import torch
from torch import nn

from .. import config
from ..config import progress as _progress
from ._checks import as_numpy as _as_numpy, check_int as _check_int, check_real as _check_real
from ._checks import check_widths as _check_widths, float_tensor as _float_tensor, live_curves

__all__ = [
    "Critic", "LineGenerator",
    "critic_loss", "clip_weights", "gradient_penalty", "train_wgan",
    "plot_critic",
]

_METHODS = ("clip", "gp")


# =================================================================================== models
class Critic(nn.Module):
    """A fully connected critic f(x; phi): input_dim -> hidden... -> one real score.

    input_dim d: size of a sample; hidden: widths of the hidden layers (ReLU after each).
    No sigmoid at the end (the score estimates a Wasserstein potential, not a probability)
    and no batch norm (the gradient penalty is defined per example, which batch norm breaks).
    ``forward(x)`` maps (N, d) -> scores (N,).
    """

    def __init__(self, input_dim=2, hidden=(64, 64)):
        super().__init__()
        self.input_dim = _check_int("Critic", "input_dim", input_dim)
        hidden = _check_widths("Critic", hidden)
        widths = [self.input_dim, *hidden]
        layers = []
        for fan_in, fan_out in zip(widths[:-1], widths[1:]):
            layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
        layers.append(nn.Linear(widths[-1], 1))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"Critic expects x to be a torch tensor of shape (N, {self.input_dim}); "
                            f"got {type(x).__name__}.")
        if x.ndim != 2 or x.shape[1] != self.input_dim:
            raise ValueError(f"Critic expects x of shape (N, {self.input_dim}); got shape {tuple(x.shape)}.")
        return self.net(x).squeeze(1)  # (N,)


class LineGenerator(nn.Module):
    """The parallel-lines model of Arjovsky et al. (2017): G(z; theta) = (theta, z), z ~ N(0, 1).

    One parameter, ``theta``, the horizontal position of the line; the data are the line at
    theta = 0 (``dlcourse.datasets.parallel_lines(0.0, n)``).
    ``forward(z)`` maps (N, 1) -> (N, 2); ``sample(n)`` draws fresh noise.
    """

    latent_dim = 1

    def __init__(self, theta=1.0):
        super().__init__()
        theta = _check_real("LineGenerator", "theta", theta, "a finite number", lambda v: True)
        self.theta = nn.Parameter(torch.tensor(theta))

    def forward(self, z):
        if not isinstance(z, torch.Tensor):
            raise TypeError(f"LineGenerator expects z to be a torch tensor of shape (N, 1); got {type(z).__name__}.")
        if z.ndim != 2 or z.shape[1] != 1 or not z.is_floating_point():
            raise ValueError(f"LineGenerator expects z as a floating-point tensor of shape (N, 1); "
                             f"got shape {tuple(z.shape)}, dtype {z.dtype}.")
        # theta is one number; every sample gets it as its first coordinate, so d x / d theta = (1, 0)
        return torch.cat([self.theta.to(z.dtype).expand(len(z), 1), z], dim=1)  # (N, 2): (theta, z)

    @torch.no_grad()
    def sample(self, n, generator=None):
        """n points (theta, z), z ~ N(0, 1), without gradients; generator: an optional torch.Generator. (n, 2)."""
        n = _check_int("LineGenerator.sample", "n", n)
        return self(torch.randn(n, 1, generator=generator))


# =================================================================================== losses
def critic_loss(real_scores, fake_scores):
    """What the critic minimises: mean f(fake) - mean f(real).

    Its negative, mean f(real) - mean f(fake), is the critic's estimate of the Wasserstein
    distance (Kantorovich-Rubinstein duality, with f in place of the best 1-Lipschitz
    function). real_scores, fake_scores: critic scores, tensors of any shape (each mean runs
    over all its entries; the two may hold different numbers of examples). Returns a 0-d tensor.
    """
    _check_scores("critic_loss", "real_scores", real_scores)
    _check_scores("critic_loss", "fake_scores", fake_scores)
    return fake_scores.mean() - real_scores.mean()


@torch.no_grad()
def clip_weights(module, c=0.01):
    """Clamp every parameter of ``module`` into [-c, c], in place (Arjovsky et al. 2017).

    A network whose weights are bounded has a bounded Lipschitz constant K, so the clipped
    critic stays inside a family of K-Lipschitz functions. module: a torch.nn.Module;
    c: the clipping bound (> 0). Returns the module.
    """
    if not isinstance(module, nn.Module):
        raise TypeError(f"clip_weights expects module to be a torch.nn.Module; got {type(module).__name__}.")
    c = _check_real("clip_weights", "c", c, "a positive clipping bound such as 0.01", lambda v: v > 0)
    for parameter in module.parameters():
        parameter.clamp_(-c, c)
    return module


def gradient_penalty(critic, real, fake, generator=None):
    """The gradient penalty of Gulrajani et al. (2017) on random interpolates.

        x_hat = eps * x_real + (1 - eps) * x_fake,      eps ~ U[0, 1], one per example
        GP    = mean_i (||grad_x f(x_hat_i)||_2 - 1)^2

    The best critic has gradient norm 1 almost everywhere on the straight lines between
    coupled real and fake points, so the penalty pulls the critic towards that, softly.
    critic: a module (or function) mapping (N, ...) -> scores (N,).
    real, fake: tensors of the same shape (N, ...); fake is typically detached.
    generator: an optional torch.Generator for eps (a random-number generator, not the GAN's
        generator), so that a run can be repeated.
    Returns a 0-d tensor that keeps its graph (create_graph=True), so adding it to the
    critic's loss and calling backward trains the critic through the penalty.
    """
    if not callable(critic):
        raise TypeError(f"gradient_penalty expects critic to be a module or function; got {type(critic).__name__}.")
    for name, x in (("real", real), ("fake", fake)):
        if not isinstance(x, torch.Tensor) or not x.is_floating_point() or x.ndim < 2 or len(x) == 0:
            got = f"shape {tuple(x.shape)}, dtype {x.dtype}" if isinstance(x, torch.Tensor) else type(x).__name__
            raise ValueError(f"gradient_penalty expects {name} to be a floating-point tensor of shape (N, ...) "
                             f"with N >= 1; got {got}.")
    if real.shape != fake.shape:
        raise ValueError(f"gradient_penalty expects real and fake of the same shape; got {tuple(real.shape)} "
                         f"and {tuple(fake.shape)}.")
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"gradient_penalty expects generator to be a torch.Generator or None; "
                        f"got {type(generator).__name__}.")
    eps = torch.rand(len(real), *([1] * (real.ndim - 1)), generator=generator, dtype=real.dtype)  # (N, 1, ...)
    x_hat = (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(True)
    scores = critic(x_hat)
    (grad,) = torch.autograd.grad(scores.sum(), x_hat, create_graph=True)  # row i: grad f(x_hat_i)
    norms = torch.linalg.vector_norm(grad.flatten(1), dim=1)               # (N,)
    return ((norms - 1) ** 2).mean()


# ============================================================================ training loop
def train_wgan(generator, critic, X, *, steps, method="gp", batch_size=64, n_critic=5, lr=None, lr_critic=None,
               clip=0.01, gp_weight=10.0, betas=(0.0, 0.9), seed=0, callback=None, live=None, progress=True):
    """Train a Wasserstein GAN (Arjovsky et al. 2017; Gulrajani et al. 2017).

    One step of the loop::

        repeat n_critic times:                                      # critic steps
            x ~ m real examples, z ~ m noise vectors
            L = mean f(G(z)) - mean f(x)  [+ gp_weight * GP]         # critic_loss (+ gradient_penalty)
            phi <- phi - lr_critic * step(grad_phi L)
            [method "clip": phi <- clip(phi, -clip, clip)]           # clip_weights
        z ~ m noise vectors                                         # one generator step
        theta <- theta - lr * step(grad_theta (-mean f(G(z))))

    method: "clip" (weight clipping, RMSprop as in Arjovsky et al.) or "gp" (gradient
        penalty, Adam with ``betas``; (0, 0.9) is Algorithm 1 of Gulrajani et al., whose code
        for the toy data sets used (0.5, 0.9)).
    generator: a module with a ``latent_dim`` attribute mapping (m, latent_dim) noise to
        samples shaped like X (``LineGenerator``, ``dlcourse.models.Generator``).
    critic: a module mapping samples (m, ...) to scores (m,), e.g. ``Critic``.
    X: real examples (N, ...) (NumPy array or tensor); batches are drawn with replacement.
    steps: generator steps; batch_size m; n_critic: critic steps per generator step.
    lr: the generator's learning rate (default 5e-5 for "clip", 1e-4 for "gp", the papers'
        values); lr_critic: the critic's (default: lr).
    clip: the bound c of weight clipping (method "clip" only); gp_weight: lambda of the
        gradient penalty and betas: Adam's (beta1, beta2) (method "gp" only).
    seed: seeds the batches, the noise and the interpolates, so with fixed initial weights
        a run repeats exactly.
    callback: called as callback(step, generator, critic) after every generator step.
    live: draw the estimate live (``dlcourse.plotting.TrainingCurves``); None: only in Jupyter.

    Returns a dict of per-step lists: "critic_loss" (mean over the n_critic steps, penalty
    included), "wasserstein" (the critic's estimate mean f(x) - mean f(G(z)) in its last
    step), "generator_loss", "gradient_penalty" (method "gp"), and "theta" when the
    generator has a one-number ``theta`` parameter. Both models are left in evaluation mode.

    The critic must not use batch normalisation with method "gp": the penalty is defined per
    example, and batch norm makes each score depend on the whole batch (Gulrajani et al.
    suggest layer normalisation instead).
    """
    for name, model in (("generator", generator), ("critic", critic)):
        if not isinstance(model, nn.Module):
            raise TypeError(f"train_wgan expects {name} to be a torch.nn.Module; got {type(model).__name__}.")
    if not isinstance(getattr(generator, "latent_dim", None), int):
        raise TypeError("train_wgan expects a generator with a latent_dim attribute (LineGenerator, Generator); "
                        f"got {type(generator).__name__}.")
    if method not in _METHODS:
        raise ValueError(f"train_wgan expects method to be 'clip' (weight clipping) or 'gp' (gradient penalty); "
                         f"got {method!r}.")
    steps = _check_int("train_wgan", "steps", steps)
    batch_size = _check_int("train_wgan", "batch_size", batch_size)
    n_critic = _check_int("train_wgan", "n_critic", n_critic)
    lr = (5e-5 if method == "clip" else 1e-4) if lr is None else lr
    lr = _check_real("train_wgan", "lr", lr, "a positive learning rate", lambda v: v > 0)
    lr_critic = lr if lr_critic is None else _check_real("train_wgan", "lr_critic", lr_critic,
                                                         "a positive learning rate", lambda v: v > 0)
    clip = _check_real("train_wgan", "clip", clip, "a positive clipping bound", lambda v: v > 0)
    gp_weight = _check_real("train_wgan", "gp_weight", gp_weight, "a non-negative weight", lambda v: v >= 0)
    betas = _check_betas("train_wgan", betas)
    if method == "gp" and any(isinstance(layer, nn.modules.batchnorm._BatchNorm) for layer in critic.modules()):
        raise ValueError("train_wgan with the gradient penalty needs a critic without batch normalisation (the "
                         "penalty is per example, batch norm mixes the examples); remove it or use nn.LayerNorm.")
    if callback is not None and not callable(callback):
        raise TypeError(f"train_wgan expects callback to be a function (step, generator, critic); "
                        f"got {type(callback).__name__}.")
    X = _float_tensor("train_wgan", "X", X)
    noise = config.torch_generator(_check_int("train_wgan", "seed", seed, minimum=0))
    sample_shape = _sample_shape(generator)
    if sample_shape != tuple(X.shape[1:]):
        raise ValueError(f"train_wgan expects X to hold examples shaped like the generator's samples, "
                         f"{sample_shape}; got X of shape {tuple(X.shape)}.")
    theta = getattr(generator, "theta", None)
    track_theta = isinstance(theta, torch.Tensor) and theta.numel() == 1

    if method == "clip":
        opt_g = torch.optim.RMSprop(generator.parameters(), lr=lr)
        opt_c = torch.optim.RMSprop(critic.parameters(), lr=lr_critic)
    else:
        opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=betas)
        opt_c = torch.optim.Adam(critic.parameters(), lr=lr_critic, betas=betas)

    history = {"critic_loss": [], "wasserstein": [], "generator_loss": []}
    if method == "gp":
        history["gradient_penalty"] = []
    if track_theta:
        history["theta"] = []
    panels = {"critic's estimate of W": ["wasserstein"], **({"theta": ["theta"]} if track_theta else {})}
    curves = live_curves(panels, live, xlabel="generator step")
    generator.train()
    critic.train()
    for step in _progress(range(1, steps + 1), desc="WGAN steps", disable=not progress):
        loss_total, penalty_total = 0.0, 0.0
        for _ in range(n_critic):                                    # critic steps
            real = X[torch.randint(len(X), (batch_size,), generator=noise)]
            with torch.no_grad():                                    # G is fixed while the critic learns
                fake = generator(torch.randn(batch_size, generator.latent_dim, generator=noise))
            loss = critic_loss(critic(real), critic(fake))
            estimate = -loss.item()                                  # mean f(x) - mean f(G(z))
            if method == "gp":
                penalty = gradient_penalty(critic, real, fake, generator=noise)
                loss = loss + gp_weight * penalty
                penalty_total += penalty.item()
            opt_c.zero_grad()
            loss.backward()
            opt_c.step()
            if method == "clip":
                clip_weights(critic, clip)
            loss_total += loss.item()
        fake = generator(torch.randn(batch_size, generator.latent_dim, generator=noise))  # generator step
        g_loss = -critic(fake).mean()
        opt_g.zero_grad()
        g_loss.backward()                                            # also fills the critic's gradients;
        opt_g.step()                                                 # opt_c zeroes them before its next step

        history["critic_loss"].append(loss_total / n_critic)
        history["wasserstein"].append(estimate)
        history["generator_loss"].append(g_loss.item())
        if method == "gp":
            history["gradient_penalty"].append(penalty_total / n_critic)
        if track_theta:
            history["theta"].append(theta.item())
        if curves is not None:
            curves.update(step, {name: history[name][-1] for name in curves.series})
        if callback is not None:
            callback(step, generator, critic)
    generator.eval()
    critic.eval()
    if curves is not None:
        curves.finish()
    return history


# ================================================================================= plotting
def plot_critic(critic, real=None, fake=None, ax=None, xlim=(-3.0, 3.0), ylim=(-3.0, 3.0), resolution=120,
                title=None, label="critic score f(x)"):
    """The critic's scores f(x) over a rectangle of the plane, with real and generated samples.

    critic: a module or function mapping a float32 tensor (N, 2) to scores (N,).
    real, fake: optional (N, 2) and (M, 2) points (arrays or tensors), drawn in black and red.
    xlim, ylim: the rectangle; resolution: grid points along each side; label: the colour bar's
    label (e.g. "D(x)" when the function is a GAN discriminator's probability).
    High scores (where the critic thinks data live) are light, low scores dark; the generator
    moves its samples uphill. Returns the Axes.
    """
    import matplotlib.pyplot as plt

    if not callable(critic):
        raise TypeError(f"plot_critic expects critic to be a module or function; got {type(critic).__name__}.")
    resolution = _check_int("plot_critic", "resolution", resolution, minimum=2)
    for name, limits in (("xlim", xlim), ("ylim", ylim)):
        if (not isinstance(limits, (tuple, list)) or len(limits) != 2
                or not all(isinstance(v, numbers.Real) and math.isfinite(v) for v in limits)
                or not limits[0] < limits[1]):
            raise ValueError(f"plot_critic expects {name} to be a pair (low, high) with low < high; got {limits!r}.")
    a, b = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    grid = torch.tensor(np.column_stack([a.ravel(), b.ravel()]), dtype=torch.float32)  # (R*R, 2)
    was_training = getattr(critic, "training", None)
    if was_training:
        critic.eval()
    with torch.no_grad():
        scores = _as_numpy(critic(grid)).reshape(a.shape)
    if was_training:
        critic.train()
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4), layout="constrained")
    filled = ax.contourf(a, b, scores, levels=20, cmap="viridis")
    ax.figure.colorbar(filled, ax=ax, label=label)
    for name, points, style in (("real", real, dict(s=5, color="black", alpha=0.6)),
                                ("generated", fake, dict(s=5, color="tab:red", alpha=0.6))):
        if points is None:
            continue
        points = _as_numpy(points)
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"plot_critic expects {name} points of shape (N, 2); got shape {points.shape}.")
        ax.scatter(points[:, 0], points[:, 1], label=name, **style)
    if real is not None or fake is not None:
        ax.legend(loc="upper right", fontsize="small")
    ax.set(xlim=xlim, ylim=ylim, xlabel="$x_1$", ylabel="$x_2$")
    if title is not None:
        ax.set_title(title, fontsize="medium")
    return ax


# ================================================================================== helpers


def _sample_shape(generator):
    """The shape of one generated sample, from one noise vector, in evaluation mode."""
    was_training = generator.training
    generator.eval()  # batch norm in training mode cannot take a batch of one
    with torch.no_grad():
        shape = tuple(generator(torch.zeros(1, generator.latent_dim)).shape[1:])
    generator.train(was_training)
    return shape


def _check_betas(function, betas):
    if (not isinstance(betas, (tuple, list)) or len(betas) != 2
            or not all(isinstance(b, numbers.Real) and not isinstance(b, bool) and 0 <= b < 1 for b in betas)):
        raise ValueError(f"{function} expects betas to be a pair (beta1, beta2) of numbers in [0, 1), "
                         f"such as (0.0, 0.9); got {betas!r}.")
    return (float(betas[0]), float(betas[1]))


def _check_scores(function, name, scores):
    if not isinstance(scores, torch.Tensor):
        raise TypeError(f"{function} expects {name} to be a torch tensor of critic scores; "
                        f"got {type(scores).__name__}.")
    if not scores.is_floating_point() or scores.numel() == 0:
        raise ValueError(f"{function} expects {name} to be a non-empty floating-point tensor of scores; "
                         f"got shape {tuple(scores.shape)}, dtype {scores.dtype}.")
