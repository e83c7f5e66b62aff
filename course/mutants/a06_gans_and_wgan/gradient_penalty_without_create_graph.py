"""Computes the critic's gradient without create_graph=True, so the penalty never reaches the critic's weights."""
import torch


def gradient_penalty(critic, real, fake, lam=10.0, eps=None, generator=None):
    """The gradient penalty."""
    n = real.shape[0]
    if eps is None:
        eps = torch.rand(n, generator=generator, dtype=real.dtype)
    eps = eps.reshape(n, *([1] * (real.dim() - 1)))
    x_hat = (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat)
    return lam * ((grad.reshape(n, -1).norm(dim=1) - 1) ** 2).mean()
