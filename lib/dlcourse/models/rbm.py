"""The restricted Boltzmann machine, trained by contrastive divergence (lecture 10).

A binary RBM in NumPy: the energy E(v, h), its two factorised conditionals, the free
energy, and the CD-k estimate of the log-likelihood gradient (Hinton 2002); and the deep
belief net, RBMs stacked greedily, whose weights start a classifier (Hinton et al. 2006).
"""
from __future__ import annotations

import numpy as np

from .. import config
from .._validation import check_array, check_int, check_real, check_widths
from ..config import progress as _progress

__all__ = ["RBM", "DeepBeliefNet"]


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
        self.n_visible = check_int(n_visible, "n_visible", "RBM", minimum=1)
        self.n_hidden = check_int(n_hidden, "n_hidden", "RBM", minimum=1)
        self.k = check_int(k, "k", "RBM", minimum=1)
        self.lr = check_real(lr, "lr", "RBM", minimum=0, open_minimum=True, allowed="a positive learning rate")
        self.rng = config.rng(check_int(seed, "seed", "RBM", minimum=0))
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
        epochs = check_int(epochs, "epochs", "RBM.fit", minimum=1)
        batch_size = check_int(batch_size, "batch_size", "RBM.fit", minimum=1)
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
        v = check_array(v, "v", f"RBM.{method}", shape=(None, self.n_visible), dtype=np.float32,
                        allowed=f"an array of shape (N, {self.n_visible}), one visible vector per row")
        if v.size and (v.min() < 0 or v.max() > 1):
            raise ValueError(f"RBM.{method} expects visible values in [0, 1] (binary units or their probabilities); "
                             f"got values from {v.min():.4g} to {v.max():.4g}.")
        return v


def _sigmoid(z):
    """1 / (1 + e^-z) written as (1 + tanh(z / 2)) / 2: one transcendental, and no overflow for any z."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class DeepBeliefNet:
    """A deep belief net: RBMs stacked and trained greedily, one layer at a time (Hinton, Osindero & Teh 2006).

    layer_sizes (D, H_1, ..., H_L): RBM l has layer_sizes[l] visible and layer_sizes[l + 1]
    hidden units. RBM 1 learns the data; RBM l + 1 learns the hidden probabilities
    p(h_l | ...) that the trained RBMs below give for the data, never changing them.
    k, lr: CD-k steps and learning rate of every RBM; seed: RBM l gets seed + l.
    Attribute ``rbms``, the list of the L RBMs, bottom first.
    """

    def __init__(self, layer_sizes, k=1, lr=0.1, seed=0):
        sizes = check_widths(layer_sizes, "layer_sizes", "DeepBeliefNet", example="(784, 256, 64)", minimum_length=2)
        seed = check_int(seed, "seed", "DeepBeliefNet", minimum=0)
        self.rbms = [RBM(n_visible, n_hidden, k=k, lr=lr, seed=seed + layer)
                     for layer, (n_visible, n_hidden) in enumerate(zip(sizes[:-1], sizes[1:]))]

    def fit(self, X, epochs=10, batch_size=100, progress=True):
        """Greedy layer-wise training on X (N, D): each RBM for ``epochs`` epochs of CD-k on the
        hidden probabilities of the one below (X itself for the first).
        Returns {"reconstruction_error": [[...], ...]}, each RBM's history (``RBM.fit``), bottom first."""
        data = self.rbms[0]._check_visible(X, "fit")
        histories = []
        for rbm in self.rbms:
            history = rbm.fit(data, epochs=epochs, batch_size=batch_size, progress=progress)
            histories.append(history["reconstruction_error"])
            data = rbm.hidden_probabilities(data)      # the next layer's training data: (N, H_l)
        return {"reconstruction_error": histories}

    def transform(self, X, layers=None):
        """Features of X (N, D): hidden probabilities passed up through the first ``layers`` RBMs
        (all by default). Returns (N, H_layers)."""
        layers = len(self.rbms) if layers is None else check_int(layers, "layers", "DeepBeliefNet.transform",
                                                                 minimum=1, maximum=len(self.rbms))
        features = self.rbms[0]._check_visible(X, "transform")
        for rbm in self.rbms[:layers]:
            features = rbm.hidden_probabilities(features)
        return features

    def classifier(self, n_classes):
        """A torch network initialised from the DBN, ready to be fine-tuned by backpropagation.

        Linear(D, H_1), Sigmoid, ..., Linear(H_{L-1}, H_L), Sigmoid, Linear(H_L, n_classes):
        layer l computes p(h_l = 1 | h_{l-1}) with RBM l's weights W^T and hidden biases c;
        the output layer (logits) starts at PyTorch's default random initialisation.
        Maps (N, D) -> (N, n_classes).
        """
        import torch
        from torch import nn

        n_classes = check_int(n_classes, "n_classes", "DeepBeliefNet.classifier", minimum=2)
        layers = []
        for rbm in self.rbms:
            linear = nn.Linear(rbm.n_visible, rbm.n_hidden)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(rbm.W.T))   # (H, D)
                linear.bias.copy_(torch.from_numpy(rbm.c))
            layers += [linear, nn.Sigmoid()]
        return nn.Sequential(*layers, nn.Linear(self.rbms[-1].n_hidden, n_classes))
