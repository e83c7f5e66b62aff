"""Adversarial examples: attacks that fool a classifier with a small change of the input, and
training that resists them (lecture 15).

Inputs are images with pixels in [0, 1]; an attack may change each pixel by at most eps
(the max-norm ball ||x' - x||_inf <= eps) and must return a valid image::

    FGSM  x' = clip(x + eps * sign(grad_x L(f(x), y)), 0, 1)                 (Goodfellow et al. 2015)
    PGD   x_0 = x + uniform(-eps, eps)                                        (Madry et al. 2018)
          x_{t+1} = clip(Proj_eps(x_t + alpha * sign(grad_x L(f(x_t), y))), 0, 1),   t < steps

Proj_eps clips each pixel back into [x - eps, x + eps]. Both attacks differentiate the loss
with respect to the *input* only (``torch.autograd.grad``), so the parameters' ``.grad`` are
left as they were, and they run the model in evaluation mode, restoring its mode afterwards.

- ``fgsm``               the fast gradient sign method: one step of size eps
- ``pgd``                projected gradient descent: several steps of size alpha, random start
- ``robust_accuracy``    accuracy on the attacked inputs, in batches
- ``train_adversarial``  training on a mix of clean and attacked mini-batches
"""
from __future__ import annotations

import contextlib

import torch
from torch import nn
from torch.nn import functional as F

from .. import config
from .._loop import TrainingLog
from .._validation import check_choice, check_flag, check_instance, check_int, check_real, check_tensor
from ..config import progress as _progress

__all__ = ["fgsm", "pgd", "robust_accuracy", "train_adversarial"]


def fgsm(model, x, y, eps):
    """The fast gradient sign method: every pixel moved by eps in the direction that raises the loss.

    model: a classifier mapping x (N, ...) to logits (N, K); x: inputs (N, ...) with pixels in
    [0, 1]; y: labels (N,); eps: the largest change of a pixel (>= 0).
    Returns x' (N, ...), detached: clip(x + eps * sign(grad_x cross_entropy(model(x), y)), 0, 1).
    """
    x, y = _check_attack(model, x, y, "fgsm")
    eps = check_real(eps, "eps", "fgsm", minimum=0)
    gradient = _input_gradient(model, x, y)
    return (x + eps * gradient.sign()).clamp(0, 1)  # FGSM


def pgd(model, x, y, eps, alpha, steps, *, random_start=True, generator=None):
    """Projected gradient descent on the loss (ascent, strictly), inside the eps-ball around x.

    model, x (N, ...), y (N,), eps: as for ``fgsm``. alpha: the step size of each signed step;
    steps: how many steps. random_start: start from a uniform point of the eps-ball (Madry et
    al.) instead of x itself. generator: a ``torch.Generator`` for the random start (default:
    torch's global one). With steps=1, alpha=eps and random_start=False this is ``fgsm``.
    Returns x' (N, ...), detached, with |x' - x| <= eps and 0 <= x' <= 1 in every pixel.
    """
    x, y = _check_attack(model, x, y, "pgd")
    eps, alpha, steps = _check_pgd(eps, alpha, steps, random_start, generator)
    x_adv = x
    if random_start:
        noise = torch.rand(x.shape, generator=generator, dtype=x.dtype) * 2 - 1  # uniform in [-1, 1)
        x_adv = (x + eps * noise).clamp(0, 1)
    for _ in range(steps):
        x_adv = x_adv + alpha * _input_gradient(model, x_adv, y).sign()  # a signed step uphill
        x_adv = torch.min(torch.max(x_adv, x - eps), x + eps)  # Proj_eps: back into the max-norm ball
        x_adv = x_adv.clamp(0, 1)  # and into the pixel range
    return x_adv


def robust_accuracy(model, x, y, attack=None, *, batch_size=500, **attack_options):
    """Fraction of the inputs still classified correctly after ``attack``.

    attack: None (clean accuracy), "fgsm", "pgd", or a function (model, x, y, **attack_options) -> x'.
    attack_options: its arguments, e.g. eps=0.1, or eps, alpha, steps for "pgd".
    x: (N, ...) inputs in [0, 1]; y: (N,) labels. The attack runs batch by batch (batch_size rows).
    """
    x, y = _check_attack(model, x, y, "robust_accuracy")
    attack = _attack_function(attack)
    batch_size = check_int(batch_size, "batch_size", "robust_accuracy", minimum=1)
    correct = 0
    for x_batch, y_batch in zip(x.split(batch_size), y.split(batch_size)):
        if attack is not None:
            x_batch = attack(model, x_batch, y_batch, **attack_options)
        with torch.no_grad(), _evaluation_mode(model):
            correct += (model(x_batch).argmax(dim=1) == y_batch).sum().item()
    return correct / len(x)


def train_adversarial(model, X, y, *, epochs, eps, attack="fgsm", clean_weight=0.5, alpha=None, steps=7,
                      batch_size=64, lr=1e-3, seed=0, live=None, progress=True):
    """Adversarial training: each mini-batch is attacked against the current model, then the model
    takes an Adam step on the mixed loss

        L = clean_weight * L(f(x), y) + (1 - clean_weight) * L(f(x'), y),   x' = attack(f, x, y).

    clean_weight=0.5 is the mix of Goodfellow et al. (2015); clean_weight=0 trains on attacked
    inputs only, the min-max training of Madry et al. (2018). Adam's learning rate falls from lr
    to 0 along a half cosine over the epochs (lecture 05), so training settles.
    model: a classifier; X: (N, ...) inputs in [0, 1]; y: (N,) labels; epochs: passes over X.
    eps: the attack's budget; attack: "fgsm" or "pgd" (then alpha, default eps / 4, and steps).
    seed: seeds the shuffling and PGD's random starts.
    Returns the history: per epoch the mean "clean_loss" and "adversarial_loss" of the batches.
    """
    X, y = _check_attack(model, X, y, "train_adversarial")
    epochs, eps, options, attack_fn = _check_training(epochs, eps, attack, alpha, steps, clean_weight, batch_size, lr)
    generator = config.torch_generator(seed)
    if attack == "pgd":
        options["generator"] = generator
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)  # lr -> 0 along a half cosine
    with TrainingLog(["clean_loss", "adversarial_loss"], {"loss": ["clean_loss", "adversarial_loss"]},
                     live=live) as log:
        for epoch in _progress(range(1, epochs + 1), desc="epochs", disable=not progress):
            model.train()
            clean_total, adversarial_total = 0.0, 0.0
            for rows in torch.randperm(len(X), generator=generator).split(batch_size):
                x_batch, y_batch = X[rows], y[rows]
                x_adv = attack_fn(model, x_batch, y_batch, eps=eps, **options)  # attack the current model
                clean_loss = F.cross_entropy(model(x_batch), y_batch)
                adversarial_loss = F.cross_entropy(model(x_adv), y_batch)
                loss = clean_weight * clean_loss + (1 - clean_weight) * adversarial_loss  # the mixed loss
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                clean_total += clean_loss.item() * len(rows)
                adversarial_total += adversarial_loss.item() * len(rows)
            schedule.step()
            log.record(epoch, clean_loss=clean_total / len(X), adversarial_loss=adversarial_total / len(X))
    model.eval()
    return log.history


# ---------------------------------------------------------------------------- helpers
_ATTACKS = {"fgsm": fgsm, "pgd": pgd}


@contextlib.contextmanager
def _evaluation_mode(model):
    """Run the block with the model in evaluation mode, then give it back the mode it had."""
    was_training = model.training
    model.eval()
    try:
        yield
    finally:
        model.train(was_training)


def _input_gradient(model, x, y):
    """grad_x of the mean cross-entropy, (N, ...) like x; the parameters' .grad are not touched."""
    x = x.detach().requires_grad_(True)
    with torch.enable_grad(), _evaluation_mode(model):
        loss = F.cross_entropy(model(x), y)
        (gradient,) = torch.autograd.grad(loss, x)  # w.r.t. the input only
    return gradient


def _check_attack(model, x, y, function):
    """(x, y) as a float tensor (N, ...) and a long tensor (N,), after checking the model."""
    check_instance(model, "model", function, nn.Module, "a torch.nn.Module")
    x = check_tensor(x, "x", function, examples=True)
    if isinstance(y, torch.Tensor):
        labels = y.detach()
    else:
        labels = torch.as_tensor(check_tensor(y, "y", function).numpy())
    if labels.ndim != 1 or len(labels) != len(x) or labels.is_floating_point() and not torch.equal(labels, labels.round()):
        raise ValueError(f"{function} expects y to be {len(x)} integer class labels, one per row of x; "
                         f"got shape {tuple(labels.shape)}.")
    return x, labels.long()


def _check_pgd(eps, alpha, steps, random_start, generator):
    eps = check_real(eps, "eps", "pgd", minimum=0)
    alpha = check_real(alpha, "alpha", "pgd", minimum=0, open_minimum=True)
    steps = check_int(steps, "steps", "pgd", minimum=1)
    check_flag(random_start, "random_start", "pgd")
    if generator is not None:
        check_instance(generator, "generator", "pgd", torch.Generator, "a torch.Generator or None")
    return eps, alpha, steps


def _attack_function(attack):
    if attack is None or callable(attack):
        return attack
    check_instance(attack, "attack", "robust_accuracy", str, "None, 'fgsm', 'pgd' or a function (model, x, y) -> x'")
    return _ATTACKS[check_choice(attack, "attack", "robust_accuracy", _ATTACKS)]


def _check_training(epochs, eps, attack, alpha, steps, clean_weight, batch_size, lr):
    """train_adversarial's arguments: (epochs, eps, the attack's other options, the attack)."""
    epochs = check_int(epochs, "epochs", "train_adversarial", minimum=1)
    eps = check_real(eps, "eps", "train_adversarial", minimum=0)
    check_instance(attack, "attack", "train_adversarial", str, "'fgsm' or 'pgd'")
    check_choice(attack, "attack", "train_adversarial", _ATTACKS)
    check_real(clean_weight, "clean_weight", "train_adversarial", minimum=0, maximum=1)
    check_int(batch_size, "batch_size", "train_adversarial", minimum=1)
    check_real(lr, "lr", "train_adversarial", minimum=0, open_minimum=True)
    if attack == "fgsm":
        return epochs, eps, {}, fgsm
    alpha = eps / 4 if alpha is None else check_real(alpha, "alpha", "train_adversarial", minimum=0, open_minimum=True)
    steps = check_int(steps, "steps", "train_adversarial", minimum=1)
    return epochs, eps, {"alpha": alpha, "steps": steps}, pgd
