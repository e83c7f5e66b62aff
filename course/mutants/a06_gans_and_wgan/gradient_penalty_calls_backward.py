"""Gets the gradient with backward() and x_hat.grad, which also pours gradients into the critic's .grad."""
import torch


def gradient_penalty(critic, real, fake, lam=10.0, eps=None, generator=None):
    """The gradient penalty."""
    n = real.shape[0]
    if eps is None:
        eps = torch.rand(n, generator=generator, dtype=real.dtype)
    eps = eps.reshape(n, *([1] * (real.dim() - 1)))
    x_hat = (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(True)
    critic(x_hat).sum().backward(create_graph=True)
    return lam * ((x_hat.grad.reshape(n, -1).norm(dim=1) - 1) ** 2).mean()
