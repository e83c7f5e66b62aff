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

Sign convention: the critic is high on real data and low on generated data. (Some texts
write the bracket the other way round, E_{p_theta}[f] - E_{p*}[f]; replacing f by -f turns
one into the other, so both suprema equal W.)

``train_wgan`` is Algorithm 1 of Arjovsky et al. (2017) (method "clip") and Algorithm 1 of
Gulrajani et al. (2017) (method "gp"); its comments carry the step names used here::

    for each generator step:
        repeat n_critic times:                                   # critic steps
            (C1) draw m examples x_1..x_m from the data p*
            (C2) draw m noise vectors z_1..z_m and make x~_i = G(z_i)
            (C3) L = 1/m sum_i f(x~_i) - 1/m sum_i f(x_i)            (minus the estimate of W)
            (C4) "gp": L += lambda * 1/m sum_i (||grad f(x^_i)|| - 1)^2,
                       x^_i = eps_i x_i + (1 - eps_i) x~_i, eps_i ~ U[0, 1]
            (C5) phi <- RMSprop ("clip") or Adam ("gp") step on grad_phi L
            (C6) "clip": phi <- clip(phi, -c, c)
        (G1) draw m noise vectors z_1..z_m
        (G2) theta <- the same optimiser's step on grad_theta (-1/m sum_i f(G(z_i)))

- ``Critic``           a fully connected critic: input_dim -> hidden... -> 1 score
- ``LineGenerator``    the model family of the parallel-lines example, G(z; theta) = (theta, z)
- ``critic_loss``      mean f(fake) - mean f(real), what the critic minimises
- ``clip_weights``     clamp every parameter of a module into [-c, c], in place
- ``gradient_penalty`` the penalty of Gulrajani et al. (2017) on random interpolates
- ``train_wgan``       the alternating algorithm: n_critic critic steps, then one generator step
- ``plot_critic``      the critic's scores as a filled contour over the plane, with samples
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .. import config
from .._loop import TrainingLog
from .._validation import as_numpy, check_array, check_batch, check_choice, check_instance, check_int, check_real
from .._validation import check_tensor, check_widths
from ..config import progress as _progress

__all__ = [
    "Critic", "LineGenerator",
    "critic_loss", "clip_weights", "gradient_penalty", "train_wgan",
    "plot_critic",
]


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
        self.input_dim = check_int(input_dim, "input_dim", "Critic", minimum=1)
        hidden = check_widths(hidden, "hidden", "Critic", minimum_length=0)
        widths = [self.input_dim, *hidden]
        layers = []
        for fan_in, fan_out in zip(widths[:-1], widths[1:]):
            layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
        layers.append(nn.Linear(widths[-1], 1))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(check_batch(x, "x", "Critic", self.input_dim)).squeeze(1)  # (N,)


class LineGenerator(nn.Module):
    """The parallel-lines model of Arjovsky et al. (2017): G(z; theta) = (theta, z), z ~ N(0, 1).

    One parameter, ``theta``, the horizontal position of the line; the data are the line at
    theta = 0 (``dlcourse.datasets.parallel_lines(0.0, n)``).
    ``forward(z)`` maps (N, 1) -> (N, 2); ``sample(n)`` draws fresh noise.
    """

    latent_dim = 1

    def __init__(self, theta=1.0):
        super().__init__()
        theta = check_real(theta, "theta", "LineGenerator", allowed="a finite number")
        self.theta = nn.Parameter(torch.tensor(theta))

    def forward(self, z):
        check_batch(z, "z", "LineGenerator", 1)
        if not z.is_floating_point():
            raise ValueError(f"LineGenerator expects z as a floating-point tensor of shape (N, 1); "
                             f"got shape {tuple(z.shape)}, dtype {z.dtype}.")
        # theta is one number; every sample gets it as its first coordinate, so d x / d theta = (1, 0)
        return torch.cat([self.theta.to(z.dtype).expand(len(z), 1), z], dim=1)  # (N, 2): (theta, z)

    @torch.no_grad()
    def sample(self, n, generator=None):
        """n points (theta, z), z ~ N(0, 1), without gradients; generator: an optional torch.Generator. (n, 2)."""
        n = check_int(n, "n", "LineGenerator.sample", minimum=1)
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
    check_instance(module, "module", "clip_weights", nn.Module, "a torch.nn.Module")
    c = check_real(c, "c", "clip_weights", minimum=0, open_minimum=True, allowed="a positive clipping bound such as 0.01")
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
        check_instance(x, name, "gradient_penalty", torch.Tensor, "a floating-point tensor of shape (N, ...)")
        if not x.is_floating_point() or x.ndim < 2 or len(x) == 0:
            got = f"shape {tuple(x.shape)}, dtype {x.dtype}"
            raise ValueError(f"gradient_penalty expects {name} to be a floating-point tensor of shape (N, ...) "
                             f"with N >= 1; got {got}.")
    if real.shape != fake.shape:
        raise ValueError(f"gradient_penalty expects real and fake of the same shape; got {tuple(real.shape)} "
                         f"and {tuple(fake.shape)}.")
    if generator is not None:
        check_instance(generator, "generator", "gradient_penalty", torch.Generator, "a torch.Generator or None")
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
    X, noise, lr, lr_critic, clip, gp_weight, betas = _checked_wgan_arguments(
        generator, critic, X, steps, method, batch_size, n_critic, lr, lr_critic, clip, gp_weight, betas, seed, callback)
    theta = getattr(generator, "theta", None)
    track_theta = isinstance(theta, torch.Tensor) and theta.numel() == 1
    if method == "clip":
        opt_g = torch.optim.RMSprop(generator.parameters(), lr=lr)
        opt_c = torch.optim.RMSprop(critic.parameters(), lr=lr_critic)
    else:
        opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=betas)
        opt_c = torch.optim.Adam(critic.parameters(), lr=lr_critic, betas=betas)
    names = ["critic_loss", "wasserstein", "generator_loss"] + ["gradient_penalty"] * (method == "gp")
    panels = {"critic's estimate of W": ["wasserstein"], **({"theta": ["theta"]} if track_theta else {})}

    generator.train()
    critic.train()
    with TrainingLog(names + ["theta"] * track_theta, panels, live=live, xlabel="generator step") as log:
        for step in _progress(range(1, steps + 1), desc="WGAN steps", disable=not progress):
            loss_total, penalty_total = 0.0, 0.0
            for _ in range(n_critic):                                # critic steps
                real = X[torch.randint(len(X), (batch_size,), generator=noise)]                 # (C1)
                with torch.no_grad():                                # G is fixed while the critic learns
                    fake = generator(torch.randn(batch_size, generator.latent_dim, generator=noise))  # (C2)
                loss = critic_loss(critic(real), critic(fake))                                  # (C3)
                estimate = -loss.item()                              # mean f(x) - mean f(G(z))
                if method == "gp":
                    penalty = gradient_penalty(critic, real, fake, generator=noise)             # (C4)
                    loss = loss + gp_weight * penalty
                    penalty_total += penalty.item()
                opt_c.zero_grad()
                loss.backward()
                opt_c.step()                                                                    # (C5)
                if method == "clip":
                    clip_weights(critic, clip)                                                  # (C6)
                loss_total += loss.item()
            fake = generator(torch.randn(batch_size, generator.latent_dim, generator=noise))    # (G1)
            g_loss = -critic(fake).mean()
            opt_g.zero_grad()
            g_loss.backward()                                        # also fills the critic's gradients;
            opt_g.step()                                             # opt_c zeroes them before its next step (G2)
            values = dict(zip(names, (loss_total / n_critic, estimate, g_loss, penalty_total / n_critic)))
            log.record(step, **values, **({"theta": theta} if track_theta else {}))
            if callback is not None:
                callback(step, generator, critic)
    generator.eval()
    critic.eval()
    return log.history


# ================================================================================= plotting
def plot_critic(critic, real=None, fake=None, ax=None, xlim=(-3.0, 3.0), ylim=(-3.0, 3.0), resolution=120,
                title=None, label="critic score f(x)"):
    """The critic's scores f(x) over a rectangle of the plane, with real and generated samples.

    critic: a module or function mapping a float32 tensor (N, 2) to scores (N,).
    real, fake: optional (N, 2) and (M, 2) points (arrays or tensors), drawn in black and in the
        Okabe-Ito vermillion (``dlcourse.plotting.OKABE_ITO``, safe for red-green colour-blind readers).
    xlim, ylim: the rectangle; resolution: grid points along each side; label: the colour bar's
    label (e.g. "D(x)" when the function is a GAN discriminator's probability).
    High scores (where the critic thinks data live) are light, low scores dark; the generator
    moves its samples uphill. Returns the Axes.
    """
    import matplotlib.pyplot as plt

    from ..plotting import OKABE_ITO

    if not callable(critic):
        raise TypeError(f"plot_critic expects critic to be a module or function; got {type(critic).__name__}.")
    resolution = check_int(resolution, "resolution", "plot_critic", minimum=2)
    xlim, ylim = _checked_limits(xlim, "xlim"), _checked_limits(ylim, "ylim")
    a, b = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    grid = torch.tensor(np.column_stack([a.ravel(), b.ravel()]), dtype=torch.float32)  # (R*R, 2)
    was_training = getattr(critic, "training", None)
    if was_training:
        critic.eval()
    with torch.no_grad():
        scores = as_numpy(critic(grid)).reshape(a.shape)
    if was_training:
        critic.train()
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4), layout="constrained")
    filled = ax.contourf(a, b, scores, levels=20, cmap="viridis")
    ax.figure.colorbar(filled, ax=ax, label=label)
    for name, points, style in (("real", real, dict(s=5, color="black", alpha=0.6)),
                                ("generated", fake, dict(s=5, color=OKABE_ITO[6], alpha=0.6))):
        if points is None:
            continue
        points = check_array(points, f"{name} points", "plot_critic", shape=(None, 2), allowed="an array of shape (N, 2)")
        ax.scatter(points[:, 0], points[:, 1], label=name, **style)
    if real is not None or fake is not None:
        ax.legend(loc="upper right", fontsize="small")
    ax.set(xlim=xlim, ylim=ylim, xlabel="$x_1$", ylabel="$x_2$")
    if title is not None:
        ax.set_title(title, fontsize="medium")
    return ax


# ================================================================================== helpers
_METHODS = ("clip", "gp")


def _checked_wgan_arguments(generator, critic, X, steps, method, batch_size, n_critic, lr, lr_critic, clip, gp_weight,
                            betas, seed, callback):
    """train_wgan's arguments checked: returns X as a float tensor, the run's seeded
    torch.Generator, and lr, lr_critic, clip, gp_weight, betas as numbers (lr defaults to
    the paper's value for the method, lr_critic to lr)."""
    for name, model in (("generator", generator), ("critic", critic)):
        check_instance(model, name, "train_wgan", nn.Module, "a torch.nn.Module")
    if not isinstance(getattr(generator, "latent_dim", None), int):
        raise TypeError("train_wgan expects a generator with a latent_dim attribute (LineGenerator, Generator); "
                        f"got {type(generator).__name__}.")
    check_choice(method, "method", "train_wgan", _METHODS)
    for name, value in (("steps", steps), ("batch_size", batch_size), ("n_critic", n_critic)):
        check_int(value, name, "train_wgan", minimum=1)
    lr = (5e-5 if method == "clip" else 1e-4) if lr is None else lr
    lr, lr_critic = (check_real(value, name, "train_wgan", minimum=0, open_minimum=True,
                                allowed="a positive learning rate")
                     for name, value in (("lr", lr), ("lr_critic", lr if lr_critic is None else lr_critic)))
    clip = check_real(clip, "clip", "train_wgan", minimum=0, open_minimum=True, allowed="a positive clipping bound")
    gp_weight = check_real(gp_weight, "gp_weight", "train_wgan", minimum=0, allowed="a non-negative weight")
    betas = _checked_betas("train_wgan", betas)
    if method == "gp" and any(isinstance(layer, nn.modules.batchnorm._BatchNorm) for layer in critic.modules()):
        raise ValueError("train_wgan with the gradient penalty needs a critic without batch normalisation (the "
                         "penalty is per example, batch norm mixes the examples); remove it or use nn.LayerNorm.")
    if callback is not None and not callable(callback):
        raise TypeError(f"train_wgan expects callback to be a function (step, generator, critic); "
                        f"got {type(callback).__name__}.")
    X = check_tensor(X, "X", "train_wgan", examples=True)
    noise = config.torch_generator(check_int(seed, "seed", "train_wgan", minimum=0))
    sample_shape = _sample_shape(generator)
    if sample_shape != tuple(X.shape[1:]):
        raise ValueError(f"train_wgan expects X to hold examples shaped like the generator's samples, "
                         f"{sample_shape}; got X of shape {tuple(X.shape)}.")
    return X, noise, lr, lr_critic, clip, gp_weight, betas


def _sample_shape(generator):
    """The shape of one generated sample, from one noise vector, in evaluation mode."""
    was_training = generator.training
    generator.eval()  # batch norm in training mode cannot take a batch of one
    with torch.no_grad():
        shape = tuple(generator(torch.zeros(1, generator.latent_dim)).shape[1:])
    generator.train(was_training)
    return shape


def _checked_betas(function, betas):
    """Adam's (beta1, beta2) as two floats in [0, 1): TypeError unless a pair of numbers."""
    allowed = "a pair (beta1, beta2) of numbers in [0, 1), such as (0.0, 0.9)"
    check_instance(betas, "betas", function, (tuple, list), allowed)
    if len(betas) != 2:
        raise ValueError(f"{function} expects betas to be {allowed}; got {len(betas)} numbers.")
    return tuple(check_real(b, "betas", function, minimum=0, maximum=1, open_maximum=True, allowed=allowed)
                 for b in betas)


def _checked_limits(limits, name):
    """plot_critic's xlim or ylim as a pair (low, high) of finite numbers with low < high."""
    allowed = "a pair (low, high) with low < high"
    check_instance(limits, name, "plot_critic", (tuple, list), allowed)
    if len(limits) != 2:
        raise ValueError(f"plot_critic expects {name} to be {allowed}; got {limits!r}.")
    low, high = (check_real(v, name, "plot_critic", allowed=allowed) for v in limits)
    if not low < high:
        raise ValueError(f"plot_critic expects {name} to be {allowed}; got {limits!r}.")
    return low, high


def _check_scores(function, name, scores):
    check_instance(scores, name, function, torch.Tensor, "a torch tensor of critic scores")
    if not scores.is_floating_point() or scores.numel() == 0:
        raise ValueError(f"{function} expects {name} to be a non-empty floating-point tensor of scores; "
                         f"got shape {tuple(scores.shape)}, dtype {scores.dtype}.")
