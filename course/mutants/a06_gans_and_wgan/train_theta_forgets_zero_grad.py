"""Never zeroes the critic's gradients, so every critic step adds up all earlier gradients."""
import dlcourse
import torch
from torch import nn


def train_theta(theta0=1.0, steps=120, n_critic=10, batch_size=256, lr=0.025, lr_critic=0.01, lam=10.0, seed=0,
                history=None):
    """WGAN-GP on the parallel lines; returns the final theta."""
    X = torch.tensor(dlcourse.datasets.parallel_lines(0.0, n=1024, seed=seed), dtype=torch.float32)  # (1024, 2)
    torch.manual_seed(seed)  # the critic's initial weights
    critic = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))
    critic_optimizer = torch.optim.Adam(critic.parameters(), lr=lr_critic, betas=(0.5, 0.9))
    theta = torch.tensor(float(theta0), requires_grad=True)
    draws = torch.Generator().manual_seed(seed)  # batches, noise and interpolation weights

    def generate(theta):  # G(z; theta) = (theta, z) for batch_size fresh z: (batch_size, 2)
        z = torch.randn(batch_size, 1, generator=draws)
        return torch.cat([theta.expand(batch_size, 1), z], dim=1)

    for k in range(steps):
        for _ in range(n_critic):
            real = X[torch.randint(len(X), (batch_size,), generator=draws)]
            fake = generate(theta.detach())  # the critic's steps must not move theta
            loss = critic_loss(critic(real), critic(fake)) + gradient_penalty(critic, real, fake, lam, generator=draws)
            loss.backward()
            critic_optimizer.step()
        generator_loss = -critic(generate(theta)).mean()  # move the samples to where the critic scores high
        (grad,) = torch.autograd.grad(generator_loss, theta)
        with torch.no_grad():
            theta -= lr * (1 - k / steps) * grad
        if history is not None:
            history.append(theta.item())
    return theta.item()
