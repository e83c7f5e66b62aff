"""Interpolates the other way round, x_hat = eps * fake + (1 - eps) * real, against the stated convention."""
import torch


def gradient_penalty(critic, real, fake, lam=10.0, eps=None, generator=None):
    """The gradient penalty."""
    n = real.shape[0]
    if eps is None:
        eps = torch.rand(n, generator=generator, dtype=real.dtype)
    eps = eps.reshape(n, *([1] * (real.dim() - 1)))
    x_hat = (eps * fake.detach() + (1 - eps) * real.detach()).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return lam * ((grad.reshape(n, -1).norm(dim=1) - 1) ** 2).mean()
