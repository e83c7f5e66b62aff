"""Autoencoders, the variational autoencoder, the RBM and the channel autoencoder (lecture 10).

An autoencoder squeezes its input through a code and rebuilds it (deck 002's notation)::

    h = f(x) = z(W_1 x + b_1)            # encoder
    x_hat = g(h) = z(W_2 h + b_2)        # decoder
    J = 1/m sum_i ||x_hat_i - x_i||^2    # reconstruction error

- ``Autoencoder``, ``train_autoencoder``, ``corrupt``  plain, denoising and sparse autoencoders
- ``kl_sparsity_penalty``  sum_j KL(rho || rho_hat_j), the sparse autoencoder's penalty (Ng 2011)
- ``VAE``, ``gaussian_kl``, ``vae_loss``, ``train_vae``  the variational autoencoder with the
  reparameterisation trick (Kingma & Welling 2014)
- ``RBM``  a binary restricted Boltzmann machine trained with CD-k (Hinton 2002), in NumPy
- ``ChannelAutoencoder``, ``train_channel_autoencoder``  k bits -> n channel uses over an AWGN
  channel -> k bits (O'Shea & Hoydis 2017)
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .. import config
from ..config import progress as _progress
from ._checks import check_int as _check_int, check_real as _check_real, check_widths as _check_widths
from ._checks import float_tensor, live_curves

__all__ = [
    "Autoencoder", "train_autoencoder", "corrupt", "kl_sparsity_penalty",
    "VAE", "gaussian_kl", "vae_loss", "train_vae",
    "RBM",
    "ChannelAutoencoder", "train_channel_autoencoder",
]

_ACTIVATIONS = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh}


# ============================================================================ autoencoder
class Autoencoder(nn.Module):
    """A fully connected autoencoder: input_dim -> hidden... -> code_dim -> ...hidden -> input_dim.

    input_dim D: size of a (flat) input; code_dim H: size of the code h.
    hidden: widths of the encoder's hidden layers, mirrored in the decoder; () gives the
        one-hidden-layer autoencoder h = f(W_1 x + b_1), x_hat = g(W_2 h + b_2).
    activation: "relu", "sigmoid" or "tanh", between hidden layers.
    code_activation: None (a linear code, as PCA's), "relu", "sigmoid" (needed for the
        sparsity penalty: the code must be a probability-like value in (0, 1)) or "tanh".
    output_activation: "sigmoid" (inputs in [0, 1], such as pixels) or None (real inputs).

    ``encoder`` maps (N, D) -> (N, H) and ``decoder`` maps (N, H) -> (N, D); ``forward``
    returns the reconstruction x_hat (N, D).
    """

    def __init__(self, input_dim, code_dim, hidden=(), activation="relu", code_activation=None,
                 output_activation="sigmoid"):
        super().__init__()
        input_dim = _check_int("Autoencoder", "input_dim", input_dim)
        code_dim = _check_int("Autoencoder", "code_dim", code_dim)
        hidden = _check_widths("Autoencoder", hidden, example="(256,)")
        self.input_dim, self.code_dim, self.code_activation = input_dim, code_dim, code_activation
        self.encoder = _mlp([input_dim, *hidden, code_dim], activation, code_activation, "Autoencoder")
        self.decoder = _mlp([code_dim, *hidden[::-1], input_dim], activation, output_activation, "Autoencoder")

    def encode(self, x):
        """The code h = f(x): (N, input_dim) -> (N, code_dim)."""
        return self.encoder(_check_batch(type(self).__name__, x, self.input_dim))

    def forward(self, x):
        return self.decoder(self.encode(x))


def corrupt(x, kind="mask", level=0.5, generator=None):
    """A corrupted copy x_tilde of x, the input of a denoising autoencoder (Vincent et al. 2008).

    x: (N, D) tensor. kind "mask": each entry is set to 0 with probability ``level``
    (masking noise); "gaussian": add N(0, level^2) noise and clip to [0, 1] (pixels).
    generator: an optional ``torch.Generator``, so a run repeats exactly.
    """
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"corrupt expects x to be a torch tensor; got {type(x).__name__}.")
    level = _check_real("corrupt", "level", level, "a number >= 0", lambda v: v >= 0)
    if kind == "mask":
        if level > 1:
            raise ValueError(f"corrupt with kind='mask' expects level to be a probability in [0, 1]; got {level}.")
        keep = torch.rand(x.shape, generator=generator) >= level
        return x * keep
    if kind == "gaussian":
        return (x + level * torch.randn(x.shape, generator=generator)).clamp(0.0, 1.0)
    raise ValueError(f"corrupt expects kind to be 'mask' or 'gaussian'; got {kind!r}.")


def kl_sparsity_penalty(rho_hat, rho=0.05):
    """Sum over hidden units of KL(rho || rho_hat_j), the sparse autoencoder's penalty (Ng 2011).

    KL(rho || rho_hat_j) = rho log(rho / rho_hat_j) + (1 - rho) log((1 - rho) / (1 - rho_hat_j))

    is the KL divergence between two Bernoulli distributions with means rho (the target
    activation, e.g. 0.05) and rho_hat_j (unit j's mean activation over the examples).
    It is 0 when rho_hat_j = rho and grows without bound as rho_hat_j nears 0 or 1.
    rho_hat: (H,) mean activations in [0, 1] (a tensor or array; values are kept at least
    1e-7 from 0 and 1 so the logarithms stay finite). Returns a 0-d tensor.
    """
    rho = _check_real("kl_sparsity_penalty", "rho", rho, "a target activation strictly between 0 and 1",
                      lambda v: 0 < v < 1)
    if not isinstance(rho_hat, torch.Tensor):
        rho_hat = torch.as_tensor(np.asarray(rho_hat, dtype=np.float64))
    if rho_hat.ndim != 1:
        raise ValueError("kl_sparsity_penalty expects rho_hat of shape (H,), the mean activation of each "
                         f"hidden unit over the examples; got shape {tuple(rho_hat.shape)}. "
                         "Average the activations (N, H) over the batch first: a.mean(dim=0).")
    if rho_hat.numel() and (rho_hat.min() < 0 or rho_hat.max() > 1):
        raise ValueError("kl_sparsity_penalty expects rho_hat in [0, 1] (means of sigmoid activations); got values "
                         f"from {rho_hat.min().item():.4g} to {rho_hat.max().item():.4g}.")
    rho_hat = rho_hat.clamp(1e-7, 1 - 1e-7)
    kl = rho * torch.log(rho / rho_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))
    return kl.sum()


def train_autoencoder(model, X, *, epochs, batch_size=64, lr=1e-3, corruption=None, noise_level=0.5,
                      sparsity_weight=0.0, sparsity_target=0.05, X_val=None, seed=0, live=None, progress=True):
    """Train an ``Autoencoder`` to rebuild X with Adam; plain, denoising or sparse.

    The loss on a mini-batch x (B, D) is

        J = mean((g(f(x_tilde)) - x)^2) + beta * sum_j KL(rho || rho_hat_j)

    where x_tilde = corrupt(x, corruption, noise_level) for a denoising autoencoder
    (corruption "mask" or "gaussian"; None: x_tilde = x), beta = ``sparsity_weight`` and
    rho = ``sparsity_target``; rho_hat_j is hidden unit j's mean code activation over the
    mini-batch (a noisy estimate of Ng's mean over the whole training set).
    X: (N, D) NumPy array or tensor; X_val: optional (M, D) data whose clean reconstruction
    MSE is measured after every epoch. seed fixes the shuffling and the corruption noise.

    Returns a dict of per-epoch lists: "loss" (mean over the epoch's batches),
    "reconstruction" (its MSE part), "sparsity" (the KL part, when beta > 0),
    "val_mse" (when X_val is given).
    """
    if not isinstance(model, Autoencoder):
        raise TypeError(f"train_autoencoder expects an Autoencoder; got {type(model).__name__}.")
    epochs = _check_int("train_autoencoder", "epochs", epochs)
    batch_size = _check_int("train_autoencoder", "batch_size", batch_size)
    sparsity_weight = _check_real("train_autoencoder", "sparsity_weight", sparsity_weight, "a number >= 0",
                                  lambda v: v >= 0)
    if sparsity_weight > 0 and model.code_activation != "sigmoid":
        raise ValueError("train_autoencoder with sparsity_weight > 0 needs a code in (0, 1): build the model with "
                         f"code_activation='sigmoid'; got code_activation={model.code_activation!r}.")
    if corruption not in (None, "mask", "gaussian"):
        raise ValueError(f"train_autoencoder expects corruption to be None, 'mask' or 'gaussian'; got {corruption!r}.")
    X = _check_batch("train_autoencoder", float_tensor("train_autoencoder", "X", X, examples=False),
                     model.input_dim, "X")
    if X_val is not None:
        X_val = _check_batch("train_autoencoder", float_tensor("train_autoencoder", "X_val", X_val, examples=False),
                             model.input_dim, "X_val")
    generator = config.torch_generator(_check_int("train_autoencoder", "seed", seed, minimum=0))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    names = ["loss", "reconstruction"] + (["sparsity"] if sparsity_weight > 0 else [])
    history = {name: [] for name in names + (["val_mse"] if X_val is not None else [])}
    curves = live_curves({"loss": [n for n in history if n != "sparsity"]}, live)
    for epoch in _progress(range(1, epochs + 1), desc="epochs", disable=not progress):
        model.train()
        totals = dict.fromkeys(names, 0.0)
        for rows in torch.randperm(len(X), generator=generator).split(batch_size):
            x = X[rows]
            x_tilde = x if corruption is None else corrupt(x, corruption, noise_level, generator)
            h = model.encode(x_tilde)                       # (B, H)
            reconstruction = F.mse_loss(model.decoder(h), x)  # the target is always the clean x
            loss = reconstruction
            if sparsity_weight > 0:
                sparsity = kl_sparsity_penalty(h.mean(dim=0), sparsity_target)  # rho_hat: (H,)
                loss = loss + sparsity_weight * sparsity
                totals["sparsity"] += sparsity.item() * len(rows)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            totals["loss"] += loss.item() * len(rows)
            totals["reconstruction"] += reconstruction.item() * len(rows)
        for name in names:
            history[name].append(totals[name] / len(X))
        if X_val is not None:
            history["val_mse"].append(_reconstruction_mse(model, X_val))
        if curves is not None:
            curves.update(epoch, {name: history[name][-1] for name in curves.series})
    model.eval()
    if curves is not None:
        curves.finish()
    return history


@torch.no_grad()
def _reconstruction_mse(model, X):
    model.eval()
    return F.mse_loss(model(X), X).item()


# ==================================================================================== VAE
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
        input_dim = _check_int("VAE", "input_dim", input_dim)
        latent_dim = _check_int("VAE", "latent_dim", latent_dim)
        hidden = _check_widths("VAE", hidden, example="(256,)")
        self.input_dim, self.latent_dim = input_dim, latent_dim
        widths = [input_dim, *hidden]
        self.encoder = _mlp(widths, activation, activation, "VAE") if hidden else nn.Identity()
        self.mu = nn.Linear(widths[-1], latent_dim)
        self.log_var = nn.Linear(widths[-1], latent_dim)  # log sigma^2: any real number, so no constraint
        self.decoder = _mlp([latent_dim, *hidden[::-1], input_dim], activation, "sigmoid", "VAE")

    def encode(self, x):
        """The parameters of q(z | x): x (N, D) -> (mu, log_var), each (N, L)."""
        a = self.encoder(_check_batch(type(self).__name__, x, self.input_dim))
        return self.mu(a), self.log_var(a)

    @staticmethod
    def reparameterize(mu, log_var, generator=None):
        """z = mu + exp(log_var / 2) * eps with eps ~ N(0, I): a sample of q(z | x) that gradients flow through."""
        eps = torch.randn(mu.shape, generator=generator, dtype=mu.dtype)
        return mu + torch.exp(0.5 * log_var) * eps

    def decode(self, z):
        """Bernoulli means of p(x | z): z (N, L) -> x_hat (N, D) in (0, 1)."""
        return self.decoder(_check_batch(type(self).__name__, z, self.latent_dim, "z"))

    def forward(self, x, generator=None):
        mu, log_var = self.encode(x)
        z = self.reparameterize(mu, log_var, generator)
        return self.decode(z), mu, log_var

    @torch.no_grad()
    def sample(self, n, generator=None):
        """n new inputs: z ~ N(0, I) (the prior), then x_hat = decoder(z). Returns (n, D)."""
        n = _check_int("VAE.sample", "n", n)
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
    beta = _check_real("vae_loss", "beta", beta, "a number >= 0", lambda v: v >= 0)
    reconstruction = F.binary_cross_entropy(x_hat, x, reduction="sum") / len(x)  # -log p(x | z), summed over pixels
    return reconstruction + beta * gaussian_kl(mu, log_var).mean()


def train_vae(model, X, *, epochs, batch_size=128, lr=1e-3, beta=1.0, X_val=None, seed=0, live=None, progress=True):
    """Train a ``VAE`` on X (N, D) in [0, 1] by minimising ``vae_loss`` with Adam.

    seed fixes the shuffling and the reparameterisation noise, so a run repeats exactly.
    X_val: optional data whose loss (one noise draw per example) is measured every epoch.
    Returns a dict of per-epoch lists: "loss" (-ELBO, nats per example), its parts
    "reconstruction" and "kl", and "val_loss" when X_val is given.
    """
    if not isinstance(model, VAE):
        raise TypeError(f"train_vae expects a VAE; got {type(model).__name__}.")
    epochs = _check_int("train_vae", "epochs", epochs)
    batch_size = _check_int("train_vae", "batch_size", batch_size)
    X = _check_unit_interval("train_vae", "X", _check_batch(
        "train_vae", float_tensor("train_vae", "X", X, examples=False), model.input_dim, "X"))
    if X_val is not None:
        X_val = _check_unit_interval("train_vae", "X_val", _check_batch(
            "train_vae", float_tensor("train_vae", "X_val", X_val, examples=False), model.input_dim, "X_val"))
    generator = config.torch_generator(_check_int("train_vae", "seed", seed, minimum=0))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"loss": [], "reconstruction": [], "kl": []} | ({"val_loss": []} if X_val is not None else {})
    curves = live_curves({"-ELBO": [n for n in ("loss", "val_loss") if n in history]}, live)
    for epoch in _progress(range(1, epochs + 1), desc="epochs", disable=not progress):
        model.train()
        totals = {"loss": 0.0, "reconstruction": 0.0, "kl": 0.0}
        for rows in torch.randperm(len(X), generator=generator).split(batch_size):
            x = X[rows]
            x_hat, mu, log_var = model(x, generator)
            kl = gaussian_kl(mu, log_var).mean()
            loss = vae_loss(x_hat, x, mu, log_var, beta)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            totals["loss"] += loss.item() * len(rows)
            totals["kl"] += kl.item() * len(rows)
            totals["reconstruction"] += (loss.item() - beta * kl.item()) * len(rows)
        for name, total in totals.items():
            history[name].append(total / len(X))
        if X_val is not None:
            model.eval()
            with torch.no_grad():
                x_hat, mu, log_var = model(X_val, generator)
                history["val_loss"].append(vae_loss(x_hat, X_val, mu, log_var, beta).item())
        if curves is not None:
            curves.update(epoch, {name: history[name][-1] for name in curves.series})
    model.eval()
    if curves is not None:
        curves.finish()
    return history


# ==================================================================================== RBM
class RBM:
    """A restricted Boltzmann machine with binary units, trained by contrastive divergence (NumPy).

    Energy of a visible vector v (D,) and a hidden vector h (H,):

        E(v, h) = -b.v - c.h - v.W h,   p(v, h) = exp(-E(v, h)) / Z

    No visible-visible or hidden-hidden weights, so the units of one layer are independent
    given the other layer:

        p(h_j = 1 | v) = sigmoid(c_j + v.W[:, j]),   p(v_i = 1 | h) = sigmoid(b_i + W[i, :].h)

    Summing h out gives the free energy F(v) = -b.v - sum_j softplus(c_j + v.W[:, j]), with
    p(v) = exp(-F(v)) / Z. The log-likelihood gradient is a data term minus a model term,
    d log p(v) / dW = <v h^T>_data - <v h^T>_model; CD-k (Hinton 2002) estimates the model
    term from a Gibbs chain started at the data and run for k steps.

    n_visible D, n_hidden H; k: Gibbs steps of CD-k; lr: learning rate; seed: seed of the
    RBM's own NumPy generator (initial weights W ~ N(0, 0.01^2), and every sample).
    Visible data may be binary or probabilities in [0, 1] (grey pixels).
    Attributes W (D, H), b (D,) visible biases, c (H,) hidden biases.
    """

    def __init__(self, n_visible, n_hidden, k=1, lr=0.1, seed=0):
        self.n_visible = _check_int("RBM", "n_visible", n_visible)
        self.n_hidden = _check_int("RBM", "n_hidden", n_hidden)
        self.k = _check_int("RBM", "k", k)
        self.lr = _check_real("RBM", "lr", lr, "a positive learning rate", lambda v: v > 0)
        self.rng = config.rng(_check_int("RBM", "seed", seed, minimum=0))
        # float32 halves the cost of the matrix products; CD's own noise dwarfs the rounding
        self.W = self.rng.normal(0.0, 0.01, size=(self.n_visible, self.n_hidden)).astype(np.float32)
        self.b = np.zeros(self.n_visible, dtype=np.float32)
        self.c = np.zeros(self.n_hidden, dtype=np.float32)

    # ------------------------------------------------------------------ conditionals
    def hidden_probabilities(self, v):
        """p(h_j = 1 | v) for a batch v (N, D) -> (N, H)."""
        return _sigmoid(v @ self.W + self.c)

    def visible_probabilities(self, h):
        """p(v_i = 1 | h) for a batch h (N, H) -> (N, D)."""
        return _sigmoid(h @ self.W.T + self.b)

    def _bernoulli(self, p):
        return (self.rng.random(p.shape, dtype=np.float32) < p).astype(np.float32)

    # ------------------------------------------------------------------ energies
    def energy(self, v, h):
        """E(v, h) = -b.v - c.h - v.W h for batches v (N, D), h (N, H) -> (N,)."""
        v = self._check_visible(v, "energy")
        h = np.asarray(h, dtype=np.float32)
        return -v @ self.b - h @ self.c - np.sum((v @ self.W) * h, axis=1)

    def free_energy(self, v):
        """F(v) = -log sum_h exp(-E(v, h)) = -b.v - sum_j softplus(c_j + v.W[:, j]); v (N, D) -> (N,)."""
        v = self._check_visible(v, "free_energy")
        return -v @ self.b - np.logaddexp(0.0, v @ self.W + self.c).sum(axis=1)  # softplus, without overflow

    # ------------------------------------------------------------------ learning
    def contrastive_divergence(self, v0):
        """CD-k estimates of the mean log-likelihood gradient over a batch v0 (N, D).

        Positive phase: the data v0 and p(h | v0). Negative phase: k steps of block Gibbs
        sampling h ~ p(h | v), v ~ p(v | h) started at v0, ending at a binary sample v_k
        and its p(h | v_k). Returns a dict with "W" (D, H), "b" (D,), "c" (H,), each
        <.>_data - <.>_k, the direction that raises log p(v0).
        """
        v0 = self._check_visible(v0, "contrastive_divergence")
        ph0 = self.hidden_probabilities(v0)       # (N, H)
        ph = ph0
        for _ in range(self.k):                   # Gibbs chain: h ~ p(h|v), v ~ p(v|h)
            vk = self._bernoulli(self.visible_probabilities(self._bernoulli(ph)))
            ph = self.hidden_probabilities(vk)
        n = len(v0)
        return {
            "W": (v0.T @ ph0 - vk.T @ ph) / n,    # <v h^T>_data - <v h^T>_k
            "b": (v0 - vk).mean(axis=0),
            "c": (ph0 - ph).mean(axis=0),
        }

    def step(self, v0):
        """One gradient-ascent step on a batch v0 (N, D): theta <- theta + lr * CD-k estimate."""
        gradient = self.contrastive_divergence(v0)
        self.W += self.lr * gradient["W"]
        self.b += self.lr * gradient["b"]
        self.c += self.lr * gradient["c"]
        return gradient

    def fit(self, X, epochs=10, batch_size=100, progress=True):
        """Train on X (N, D) for ``epochs`` passes in shuffled mini-batches (shuffled by the RBM's generator).

        Returns {"reconstruction_error": [...]}, the mean squared error of
        ``reconstruct(X)`` after every epoch (with the value before training first).
        """
        X = self._check_visible(X, "fit")
        epochs = _check_int("RBM.fit", "epochs", epochs)
        batch_size = _check_int("RBM.fit", "batch_size", batch_size)
        errors = [self.reconstruction_error(X)]
        for _ in _progress(range(epochs), desc="epochs", disable=not progress):
            order = self.rng.permutation(len(X))
            for start in range(0, len(X), batch_size):
                self.step(X[order[start:start + batch_size]])
            errors.append(self.reconstruction_error(X))
        return {"reconstruction_error": errors}

    def reconstruct(self, v):
        """One deterministic up-down pass: p(v | h = p(h | v)); v (N, D) -> (N, D) in (0, 1)."""
        v = self._check_visible(v, "reconstruct")
        return self.visible_probabilities(self.hidden_probabilities(v))

    def reconstruction_error(self, v):
        """Mean squared difference between v (N, D) and ``reconstruct(v)``: a cheap progress
        measure (the log-likelihood itself needs Z, which costs 2^min(D, H) terms)."""
        v = self._check_visible(v, "reconstruction_error")
        return float(np.mean((v - self.reconstruct(v)) ** 2))

    def _check_visible(self, v, method):
        if isinstance(v, torch.Tensor):
            v = v.detach().cpu().numpy()
        v = np.asarray(v, dtype=np.float32)
        if v.ndim != 2 or v.shape[1] != self.n_visible:
            raise ValueError(f"RBM.{method} expects v of shape (N, {self.n_visible}), one visible vector per row; "
                             f"got shape {v.shape}.")
        if v.size and (v.min() < 0 or v.max() > 1):
            raise ValueError(f"RBM.{method} expects visible values in [0, 1] (binary units or their probabilities); "
                             f"got values from {v.min():.4g} to {v.max():.4g}.")
        return v


# ===================================================================== channel autoencoder
class ChannelAutoencoder(nn.Module):
    """A communication system learned end to end over an AWGN channel (O'Shea & Hoydis 2017).

    k bits form one of M = 2^k messages s. The transmitter maps s (one-hot) to n real
    channel symbols x; a normalisation layer enforces the energy constraint
    ||x||^2 = n (mean energy per symbol 1); the channel adds white Gaussian noise,
    y = x + w, w ~ N(0, sigma^2 I); the receiver turns y into M logits, a guess of s.
    The rate is R = k / n bits per channel use, and at a given Eb/N0 (energy per bit over
    noise density) sigma^2 = 1 / (2 R Eb/N0).

    k: bits per message (M = 2^k <= 2^16); n: channel uses per message; hidden: width of
    the hidden layer of transmitter and receiver (default max(M, 16)).
    """

    def __init__(self, k=4, n=7, hidden=None):
        super().__init__()
        self.k = _check_int("ChannelAutoencoder", "k", k)
        if self.k > 16:
            raise ValueError(f"ChannelAutoencoder expects k <= 16 bits (M = 2^k one-hot messages); got k={k}.")
        self.n = _check_int("ChannelAutoencoder", "n", n)
        self.M = 2 ** self.k
        # O'Shea & Hoydis use M units; very small M (k <= 3) trains poorly with so few ReLUs
        width = max(self.M, 16) if hidden is None else _check_int("ChannelAutoencoder", "hidden", hidden)
        self.transmitter = nn.Sequential(nn.Linear(self.M, width), nn.ReLU(), nn.Linear(width, self.n))
        self.receiver = nn.Sequential(nn.Linear(self.n, width), nn.ReLU(), nn.Linear(width, self.M))

    @property
    def rate(self):
        """R = k / n, bits per channel use."""
        return self.k / self.n

    def noise_std(self, ebno_db):
        """sigma = sqrt(1 / (2 R Eb/N0)) for Eb/N0 given in dB, when each symbol carries energy 1."""
        ebno_db = _check_real("ChannelAutoencoder.noise_std", "ebno_db", ebno_db, "a finite number of dB",
                              math.isfinite)
        return math.sqrt(1.0 / (2 * self.rate * 10 ** (ebno_db / 10)))

    def encode(self, messages):
        """Channel symbols x (N, n) with ||x_i||^2 = n for message indices (N,) in [0, M)."""
        messages = self._check_messages(messages)
        x = self.transmitter(F.one_hot(messages, self.M).float())  # (N, n)
        return math.sqrt(self.n) * F.normalize(x, dim=1)           # energy constraint: ||x||^2 = n

    def channel(self, x, ebno_db, generator=None):
        """The AWGN channel y = x + w, w ~ N(0, sigma^2) per real symbol; x (N, n) -> y (N, n)."""
        return x + self.noise_std(ebno_db) * torch.randn(x.shape, generator=generator)

    def decode(self, y):
        """Logits over the M messages for received symbols y (N, n) -> (N, M)."""
        return self.receiver(_check_batch(type(self).__name__, y, self.n, "y"))

    def forward(self, messages, ebno_db, generator=None):
        """Transmitter -> channel -> receiver: message indices (N,) -> logits (N, M)."""
        return self.decode(self.channel(self.encode(messages), ebno_db, generator))

    def bits_to_messages(self, bits):
        """Bit blocks (N, k) of 0/1, most significant bit first -> message indices (N,)."""
        bits = torch.as_tensor(bits)
        if bits.ndim != 2 or bits.shape[1] != self.k or not torch.all((bits == 0) | (bits == 1)):
            raise ValueError(f"bits_to_messages expects bits of shape (N, {self.k}) holding 0s and 1s; "
                             f"got shape {tuple(bits.shape)}.")
        powers = 2 ** torch.arange(self.k - 1, -1, -1)
        return (bits.long() * powers).sum(dim=1)

    def messages_to_bits(self, messages):
        """Message indices (N,) -> bit blocks (N, k), most significant bit first."""
        messages = self._check_messages(messages)
        powers = 2 ** torch.arange(self.k - 1, -1, -1)
        return (messages[:, None] // powers) % 2

    @torch.no_grad()
    def block_error_rate(self, ebno_db, n_blocks=100_000, seed=0, batch_size=50_000):
        """Fraction of n_blocks random messages the receiver gets wrong at Eb/N0 = ebno_db (dB).

        Monte Carlo with its own generator (seeded by ``seed``), so a call repeats exactly.
        """
        n_blocks = _check_int("ChannelAutoencoder.block_error_rate", "n_blocks", n_blocks)
        generator = config.torch_generator(_check_int("ChannelAutoencoder.block_error_rate", "seed", seed,
                                                             minimum=0))
        self.eval()
        errors = 0
        for start in range(0, n_blocks, batch_size):
            size = min(batch_size, n_blocks - start)
            messages = torch.randint(self.M, (size,), generator=generator)
            errors += (self(messages, ebno_db, generator).argmax(dim=1) != messages).sum().item()
        return errors / n_blocks

    def _check_messages(self, messages):
        messages = torch.as_tensor(messages)
        if messages.ndim != 1 or messages.dtype.is_floating_point or messages.dtype == torch.bool:
            raise ValueError(f"ChannelAutoencoder expects messages of shape (N,) holding integer indices in [0, {self.M}); "
                             f"got shape {tuple(messages.shape)}, dtype {messages.dtype}.")
        if messages.numel() and (messages.min() < 0 or messages.max() >= self.M):
            raise ValueError(f"ChannelAutoencoder expects message indices in [0, {self.M}) for k={self.k} bits; got "
                             f"values from {messages.min().item()} to {messages.max().item()}.")
        return messages.long()


def train_channel_autoencoder(model, *, steps=2000, batch_size=256, ebno_db=7.0, lr=1e-3, seed=0, progress=True):
    """Train a ``ChannelAutoencoder`` end to end with cross-entropy on random messages, with Adam.

    Each step draws batch_size messages uniformly from [0, M), sends them through the
    noisy channel at the training Eb/N0 (dB), and lowers the cross-entropy between the
    receiver's logits and the messages sent. seed fixes the messages and the noise.
    Returns {"loss": [...], "block_error_rate": [...]}, one entry per step (the error
    rate on that step's batch).
    """
    if not isinstance(model, ChannelAutoencoder):
        raise TypeError(f"train_channel_autoencoder expects a ChannelAutoencoder; got {type(model).__name__}.")
    steps = _check_int("train_channel_autoencoder", "steps", steps)
    batch_size = _check_int("train_channel_autoencoder", "batch_size", batch_size)
    model.noise_std(ebno_db)  # validates ebno_db
    generator = config.torch_generator(_check_int("train_channel_autoencoder", "seed", seed, minimum=0))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"loss": [], "block_error_rate": []}
    model.train()
    for _ in _progress(range(steps), desc="steps", disable=not progress):
        messages = torch.randint(model.M, (batch_size,), generator=generator)
        logits = model(messages, ebno_db, generator)
        loss = F.cross_entropy(logits, messages)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history["loss"].append(loss.item())
        history["block_error_rate"].append((logits.argmax(dim=1) != messages).float().mean().item())
    model.eval()
    return history


# ================================================================================ helpers
def _sigmoid(z):
    """1 / (1 + e^-z) written as (1 + tanh(z / 2)) / 2: one transcendental, and no overflow for any z."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _mlp(widths, activation, last_activation, owner):
    """Linear layers between consecutive widths, ``activation`` after each but the last,
    ``last_activation`` (or nothing for None) after the last."""
    for name in (activation, last_activation):
        if name is not None and name not in _ACTIVATIONS:
            raise ValueError(f"{owner} expects activations to be one of {', '.join(map(repr, _ACTIVATIONS))} "
                             f"or None; got {name!r}.")
    layers = []
    for index, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
        layers.append(nn.Linear(fan_in, fan_out))
        chosen = activation if index < len(widths) - 2 else last_activation
        if chosen is not None:
            layers.append(_ACTIVATIONS[chosen]())
    return nn.Sequential(*layers)






def _check_batch(function, x, width, name="x"):
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{function} expects {name} to be a torch tensor of shape (N, {width}); "
                        f"got {type(x).__name__}.")
    if x.ndim != 2 or x.shape[1] != width:
        hint = " Flatten images first: x.reshape(len(x), -1)." if x.ndim > 2 else ""
        raise ValueError(f"{function} expects {name} of shape (N, {width}); got shape {tuple(x.shape)}.{hint}")
    return x


def _check_unit_interval(function, name, x):
    if x.numel() and (x.min() < 0 or x.max() > 1):
        raise ValueError(f"{function} expects {name} in [0, 1] (the decoder outputs Bernoulli means); got values "
                         f"from {x.min().item():.4g} to {x.max().item():.4g}.")
    return x


def _check_same_shape(function, first, second):
    (name_a, a), (name_b, b) = first, second
    for name, value in (first, second):
        if not isinstance(value, torch.Tensor):
            raise TypeError(f"{function} expects {name} to be a torch tensor; got {type(value).__name__}.")
    if a.ndim != 2 or a.shape != b.shape:
        raise ValueError(f"{function} expects {name_a} and {name_b} of the same shape (N, D); "
                         f"got {tuple(a.shape)} and {tuple(b.shape)}.")
