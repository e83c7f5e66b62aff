"""The variational autoencoder (lecture 10; Kingma & Welling 2014).

An encoder gives q(z | x) = N(mu(x), diag(sigma^2(x))); a decoder gives the Bernoulli means
x_hat of p(x | z). Training maximises the evidence lower bound, i.e. minimises::

    -ELBO = E_q[-log p(x | z)] + KL(q(z | x) || N(0, I))

with the expectation estimated by one sample z = mu + sigma * eps, eps ~ N(0, I) (the
reparameterisation trick: the noise is an input, so gradients flow to mu and sigma).

- ``VAE``           encoder, reparameterisation, decoder; ``sample`` draws new inputs
- ``gaussian_kl``   KL(N(mu, sigma^2) || N(0, I)) per example, in closed form
- ``vae_loss``      -ELBO per example, averaged over the batch (with the beta of a beta-VAE)
- ``train_vae``     the training loop, with Adam
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .. import config
from .._loop import TrainingLog
from .._validation import check_batch, check_instance, check_int, check_real, check_tensor, check_widths
from ..config import progress as _progress
from .autoencoder import _FLATTEN, _mlp

__all__ = ["VAE", "gaussian_kl", "vae_loss", "train_vae"]


class VAE(nn.Module):
    """A variational autoencoder for inputs in [0, 1] (Kingma & Welling 2014).

    Encoder q(z | x) = N(mu(x), diag(sigma^2(x))): x (N, D) -> mu, log_var (N, L).
    Reparameterisation: z = mu + sigma * eps, eps ~ N(0, I), so z is a differentiable
    function of (mu, log_var) and the noise is an input rather than a sampling step.
    Decoder p(x | z): z (N, L) -> Bernoulli means x_hat (N, D) in (0, 1).

    input_dim D, latent_dim L (2 lets you plot the latent space), hidden: widths of the
    encoder's hidden layers (mirrored in the decoder), activation between them.
    ``forward(x)`` returns (x_hat, mu, log_var).
    """

    def __init__(self, input_dim=784, latent_dim=2, hidden=(256,), activation="relu"):
        super().__init__()
        input_dim = check_int(input_dim, "input_dim", "VAE", minimum=1)
        latent_dim = check_int(latent_dim, "latent_dim", "VAE", minimum=1)
        hidden = check_widths(hidden, "hidden", "VAE", example="(256,)", minimum_length=0)
        self.input_dim, self.latent_dim = input_dim, latent_dim
        widths = [input_dim, *hidden]
        self.encoder = _mlp(widths, activation, activation, "VAE") if hidden else nn.Identity()
        self.mu = nn.Linear(widths[-1], latent_dim)
        self.log_var = nn.Linear(widths[-1], latent_dim)  # log sigma^2: any real number, so no constraint
        self.decoder = _mlp([latent_dim, *hidden[::-1], input_dim], activation, "sigmoid", "VAE")

    def encode(self, x):
        """The parameters of q(z | x): x (N, D) -> (mu, log_var), each (N, L)."""
        a = self.encoder(check_batch(x, "x", type(self).__name__, self.input_dim, hint=_FLATTEN))
        return self.mu(a), self.log_var(a)

    @staticmethod
    def reparameterize(mu, log_var, generator=None):
        """z = mu + exp(log_var / 2) * eps with eps ~ N(0, I): a sample of q(z | x) that gradients flow through."""
        eps = torch.randn(mu.shape, generator=generator, dtype=mu.dtype)
        return mu + torch.exp(0.5 * log_var) * eps

    def decode(self, z):
        """Bernoulli means of p(x | z): z (N, L) -> x_hat (N, D) in (0, 1)."""
        return self.decoder(check_batch(z, "z", type(self).__name__, self.latent_dim))

    def forward(self, x, generator=None):
        mu, log_var = self.encode(x)
        z = self.reparameterize(mu, log_var, generator)
        return self.decode(z), mu, log_var

    @torch.no_grad()
    def sample(self, n, generator=None):
        """n new inputs: z ~ N(0, I) (the prior), then x_hat = decoder(z). Returns (n, D)."""
        n = check_int(n, "n", "VAE.sample", minimum=1)
        return self.decode(torch.randn(n, self.latent_dim, generator=generator))


def gaussian_kl(mu, log_var):
    """KL(N(mu, diag(exp(log_var))) || N(0, I)) per example, in closed form.

    KL = -1/2 sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2)
    mu, log_var: (N, L) tensors. Returns (N,).
    """
    _check_same_shape("gaussian_kl", ("mu", mu), ("log_var", log_var))
    return -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp(), dim=1)


def vae_loss(x_hat, x, mu, log_var, beta=1.0):
    """The negative evidence lower bound (ELBO) per example, averaged over the batch.

    -ELBO = E_q[-log p(x | z)] + beta * KL(q(z | x) || p(z))
          = sum_d BCE(x_hat_d, x_d)  +  beta * (-1/2) sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2)

    with the expectation estimated by the one sample z behind x_hat. beta = 1 is the VAE;
    other values weigh the KL term (the beta-VAE of Higgins et al. 2017).
    x_hat, x: (N, D) with x_hat the decoder's Bernoulli means in [0, 1] and x in [0, 1];
    mu, log_var: (N, L). Returns a 0-d tensor, in nats per example.
    """
    _check_same_shape("vae_loss", ("x_hat", x_hat), ("x", x))
    _check_same_shape("vae_loss", ("mu", mu), ("log_var", log_var))
    if len(mu) != len(x):
        raise ValueError(f"vae_loss expects one (mu, log_var) row per example: x has {len(x)} rows, mu has {len(mu)}.")
    beta = check_real(beta, "beta", "vae_loss", minimum=0)
    reconstruction = F.binary_cross_entropy(x_hat, x, reduction="sum") / len(x)  # -log p(x | z), summed over pixels
    return reconstruction + beta * gaussian_kl(mu, log_var).mean()


def train_vae(model, X, *, epochs, batch_size=128, lr=1e-3, beta=1.0, X_val=None, seed=0, live=None, progress=True):
    """Train a ``VAE`` on X (N, D) in [0, 1] by minimising ``vae_loss`` with Adam.

    seed fixes the shuffling and the reparameterisation noise, so a run repeats exactly.
    X_val: optional data whose loss (one noise draw per example) is measured every epoch.
    Returns a dict of per-epoch lists: "loss" (-ELBO, nats per example), its parts
    "reconstruction" and "kl", and "val_loss" when X_val is given.
    """
    X, X_val, generator = _checked_vae_arguments(model, X, X_val, epochs, batch_size, seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    names = ["loss", "reconstruction", "kl"] + (["val_loss"] if X_val is not None else [])
    with TrainingLog(names, {"-ELBO": [name for name in ("loss", "val_loss") if name in names]}, live=live) as log:
        for epoch in _progress(range(1, epochs + 1), desc="epochs", disable=not progress):
            model.train()
            totals = {"loss": 0.0, "reconstruction": 0.0, "kl": 0.0}
            for rows in torch.randperm(len(X), generator=generator).split(batch_size):
                x = X[rows]
                x_hat, mu, log_var = model(x, generator)        # z = mu + sigma * eps inside
                kl = gaussian_kl(mu, log_var).mean()            # KL(q(z | x) || p(z))
                loss = vae_loss(x_hat, x, mu, log_var, beta)    # -ELBO
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                totals["loss"] += loss.item() * len(rows)
                totals["kl"] += kl.item() * len(rows)
                totals["reconstruction"] += (loss.item() - beta * kl.item()) * len(rows)
            values = {name: total / len(X) for name, total in totals.items()}
            if X_val is not None:
                model.eval()
                with torch.no_grad():
                    x_hat, mu, log_var = model(X_val, generator)
                    values["val_loss"] = vae_loss(x_hat, X_val, mu, log_var, beta).item()
            log.record(epoch, **values)
    model.eval()
    return log.history


def _checked_vae_arguments(model, X, X_val, epochs, batch_size, seed):
    """train_vae's arguments checked: returns X and X_val as float tensors (N, D) in [0, 1]
    and the seeded torch.Generator of the run."""
    check_instance(model, "model", "train_vae", VAE, "a VAE")
    check_int(epochs, "epochs", "train_vae", minimum=1)
    check_int(batch_size, "batch_size", "train_vae", minimum=1)
    X, X_val = (None if data is None else _check_unit_interval("train_vae", name, check_batch(
        check_tensor(data, name, "train_vae"), name, "train_vae", model.input_dim, hint=_FLATTEN))
        for name, data in (("X", X), ("X_val", X_val)))
    return X, X_val, config.torch_generator(check_int(seed, "seed", "train_vae", minimum=0))


def _check_unit_interval(function, name, x):
    if x.numel() and (x.min() < 0 or x.max() > 1):
        raise ValueError(f"{function} expects {name} in [0, 1] (the decoder outputs Bernoulli means); got values "
                         f"from {x.min().item():.4g} to {x.max().item():.4g}.")
    return x


def _check_same_shape(function, first, second):
    (name_a, a), (name_b, b) = first, second
    for name, value in (first, second):
        check_instance(value, name, function, torch.Tensor, "a torch tensor")
    if a.ndim != 2 or a.shape != b.shape:
        raise ValueError(f"{function} expects {name_a} and {name_b} of the same shape (N, D); "
                         f"got {tuple(a.shape)} and {tuple(b.shape)}.")
