"""Autoencoders: plain, denoising and sparse (lecture 10).

An autoencoder squeezes its input through a code and rebuilds it::

    h = f(x) = z(W_1 x + b_1)            # encoder
    x_hat = g(h) = z(W_2 h + b_2)        # decoder
    J = 1/m sum_i ||x_hat_i - x_i||^2    # reconstruction error

A denoising autoencoder (Vincent et al. 2008) rebuilds x from a corrupted copy x_tilde; a
sparse one (Ng 2011) adds beta * sum_j KL(rho || rho_hat_j), which keeps each code unit's
mean activation rho_hat_j near a small target rho.

- ``Autoencoder``, ``train_autoencoder``  the model and its training loop (all three kinds)
- ``ConvAutoencoder``  strided convolutions down to the code, transposed ones back up
- ``corrupt``  masking or Gaussian noise, the denoising autoencoder's input
- ``kl_sparsity_penalty``  sum_j KL(rho || rho_hat_j), the sparse autoencoder's penalty

The variational autoencoder, the RBM and the channel autoencoder of the same lecture live in
``vae``, ``rbm`` and ``channel_autoencoder``.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .. import config
from .._loop import TrainingLog
from .._validation import check_array, check_batch, check_choice, check_instance, check_int, check_real
from .._validation import check_tensor, check_widths
from ..config import progress as _progress

__all__ = ["Autoencoder", "ConvAutoencoder", "train_autoencoder", "corrupt", "kl_sparsity_penalty"]

_ACTIVATIONS = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh}
_FLATTEN = "Flatten images first: x.reshape(len(x), -1)."


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
        input_dim = check_int(input_dim, "input_dim", "Autoencoder", minimum=1)
        code_dim = check_int(code_dim, "code_dim", "Autoencoder", minimum=1)
        hidden = check_widths(hidden, "hidden", "Autoencoder", example="(256,)", minimum_length=0)
        self.input_dim, self.code_dim, self.code_activation = input_dim, code_dim, code_activation
        self.encoder = _mlp([input_dim, *hidden, code_dim], activation, code_activation, "Autoencoder")
        self.decoder = _mlp([code_dim, *hidden[::-1], input_dim], activation, output_activation, "Autoencoder")

    def encode(self, x):
        """The code h = f(x): (N, input_dim) -> (N, code_dim)."""
        return self.encoder(check_batch(x, "x", type(self).__name__, self.input_dim, hint=_FLATTEN))

    def forward(self, x):
        return self.decoder(self.encode(x))


class ConvAutoencoder(nn.Module):
    """A convolutional autoencoder for 28 x 28 grey images, which it takes and returns flat.

    Encoder: 3x3 convolutions with stride 2 and padding 1, 1 -> c_1 channels (28 -> 14
    pixels a side) and c_1 -> c_2 (14 -> 7), ReLU after each, then a linear map of the
    c_2 * 7 * 7 features to the code. Decoder, the mirror image: linear to c_2 * 7 * 7, ReLU,
    3x3 transposed convolutions with stride 2 (7 -> 14 -> 28), a sigmoid on the pixels.
    The convolutions share their weights across positions, so the net has far fewer
    parameters than a dense autoencoder with the same code.

    code_dim: size of the code; channels: (c_1, c_2). ``encode`` maps (N, 784) -> (N, code_dim),
    ``decoder`` maps (N, code_dim) -> (N, 784), ``forward`` returns the reconstruction (N, 784):
    the same shapes as ``Autoencoder(784, code_dim)``, so the two are trained and measured alike.
    """

    def __init__(self, code_dim=16, channels=(16, 32)):
        super().__init__()
        self.code_dim = check_int(code_dim, "code_dim", "ConvAutoencoder", minimum=1)
        channels = check_widths(channels, "channels", "ConvAutoencoder", example="(16, 32)", minimum_length=2)
        if len(channels) != 2:
            raise ValueError(f"ConvAutoencoder expects channels (c_1, c_2), one per convolution; got {channels}.")
        c_1, c_2 = channels
        self.input_dim = 784
        self.encoder = nn.Sequential(
            nn.Unflatten(1, (1, 28, 28)),                                            # (N, 784) -> (N, 1, 28, 28)
            nn.Conv2d(1, c_1, 3, stride=2, padding=1), nn.ReLU(),                    # (N, c_1, 14, 14)
            nn.Conv2d(c_1, c_2, 3, stride=2, padding=1), nn.ReLU(),                  # (N, c_2, 7, 7)
            nn.Flatten(), nn.Linear(c_2 * 7 * 7, self.code_dim))                     # (N, code_dim)
        self.decoder = nn.Sequential(
            nn.Linear(self.code_dim, c_2 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (c_2, 7, 7)),
            nn.ConvTranspose2d(c_2, c_1, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),  # (N, c_1, 14, 14)
            nn.ConvTranspose2d(c_1, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid(),  # (N, 1, 28, 28)
            nn.Flatten())                                                            # (N, 784)

    def encode(self, x):
        """The code h = f(x): (N, 784) -> (N, code_dim)."""
        return self.encoder(check_batch(x, "x", type(self).__name__, 784, hint=_FLATTEN))

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
    level = check_real(level, "level", "corrupt", minimum=0)
    check_choice(kind, "kind", "corrupt", ("mask", "gaussian"))
    if kind == "mask":
        if level > 1:
            raise ValueError(f"corrupt with kind='mask' expects level to be a probability in [0, 1]; got {level}.")
        keep = torch.rand(x.shape, generator=generator) >= level
        return x * keep
    return (x + level * torch.randn(x.shape, generator=generator)).clamp(0.0, 1.0)  # kind "gaussian"


def kl_sparsity_penalty(rho_hat, rho=0.05):
    """Sum over hidden units of KL(rho || rho_hat_j), the sparse autoencoder's penalty (Ng 2011).

    KL(rho || rho_hat_j) = rho log(rho / rho_hat_j) + (1 - rho) log((1 - rho) / (1 - rho_hat_j))

    is the KL divergence between two Bernoulli distributions with means rho (the target
    activation, e.g. 0.05) and rho_hat_j (unit j's mean activation over the examples).
    It is 0 when rho_hat_j = rho and grows without bound as rho_hat_j nears 0 or 1.
    rho_hat: (H,) mean activations in [0, 1] (a tensor or array; values are kept at least
    1e-7 from 0 and 1 so the logarithms stay finite). Returns a 0-d tensor.
    """
    rho = check_real(rho, "rho", "kl_sparsity_penalty", minimum=0, maximum=1, open_minimum=True, open_maximum=True,
                     allowed="a target activation strictly between 0 and 1")
    if not isinstance(rho_hat, torch.Tensor):
        rho_hat = torch.as_tensor(check_array(rho_hat, "rho_hat", "kl_sparsity_penalty"))
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
    X, X_val, generator, sparsity_weight = _checked_autoencoder_arguments(model, X, X_val, epochs, batch_size,
                                                                          corruption, sparsity_weight, seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    names = ["loss", "reconstruction"] + (["sparsity"] if sparsity_weight > 0 else [])
    logged = names + (["val_mse"] if X_val is not None else [])
    with TrainingLog(logged, {"loss": [name for name in logged if name != "sparsity"]}, live=live) as log:
        for epoch in _progress(range(1, epochs + 1), desc="epochs", disable=not progress):
            model.train()
            totals = dict.fromkeys(names, 0.0)
            for rows in torch.randperm(len(X), generator=generator).split(batch_size):
                x = X[rows]
                x_tilde = x if corruption is None else corrupt(x, corruption, noise_level, generator)  # denoising
                h = model.encode(x_tilde)                                         # h = f(x_tilde): (B, H)
                reconstruction = F.mse_loss(model.decoder(h), x)                  # the target is the clean x
                loss = reconstruction
                if sparsity_weight > 0:
                    sparsity = kl_sparsity_penalty(h.mean(dim=0), sparsity_target)  # rho_hat: (H,)
                    loss = loss + sparsity_weight * sparsity                     # J = MSE + beta sum_j KL
                    totals["sparsity"] += sparsity.item() * len(rows)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                totals["loss"] += loss.item() * len(rows)
                totals["reconstruction"] += reconstruction.item() * len(rows)
            values = {name: totals[name] / len(X) for name in names}
            if X_val is not None:
                values["val_mse"] = _reconstruction_mse(model, X_val)
            log.record(epoch, **values)
    model.eval()
    return log.history


def _checked_autoencoder_arguments(model, X, X_val, epochs, batch_size, corruption, sparsity_weight, seed):
    """train_autoencoder's arguments checked: returns X and X_val as float tensors (N, D),
    the seeded torch.Generator of the run and sparsity_weight as a float."""
    check_instance(model, "model", "train_autoencoder", Autoencoder, "an Autoencoder")
    check_int(epochs, "epochs", "train_autoencoder", minimum=1)
    check_int(batch_size, "batch_size", "train_autoencoder", minimum=1)
    sparsity_weight = check_real(sparsity_weight, "sparsity_weight", "train_autoencoder", minimum=0)
    if sparsity_weight > 0 and model.code_activation != "sigmoid":
        raise ValueError("train_autoencoder with sparsity_weight > 0 needs a code in (0, 1): build the model with "
                         f"code_activation='sigmoid'; got code_activation={model.code_activation!r}.")
    check_choice(corruption, "corruption", "train_autoencoder", (None, "mask", "gaussian"))
    X, X_val = (None if data is None else check_batch(check_tensor(data, name, "train_autoencoder"), name,
                                                      "train_autoencoder", model.input_dim, hint=_FLATTEN)
                for name, data in (("X", X), ("X_val", X_val)))
    generator = config.torch_generator(check_int(seed, "seed", "train_autoencoder", minimum=0))
    return X, X_val, generator, sparsity_weight


@torch.no_grad()
def _reconstruction_mse(model, X):
    model.eval()
    return F.mse_loss(model(X), X).item()


def _mlp(widths, activation, last_activation, owner):
    """Linear layers between consecutive widths, ``activation`` after each but the last,
    ``last_activation`` (or nothing for None) after the last. (The VAE builds its halves
    with it too.)"""
    for name in (activation, last_activation):
        if name is not None:
            check_choice(name, "activations", owner, tuple(_ACTIVATIONS) + (None,))
    layers = []
    for index, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
        layers.append(nn.Linear(fan_in, fan_out))
        chosen = activation if index < len(widths) - 2 else last_activation
        if chosen is not None:
            layers.append(_ACTIVATIONS[chosen]())
    return nn.Sequential(*layers)
