"""Adds 1e-8 inside the logs to avoid log(0): finite, but capped near 18 for confident logits."""
import torch


def discriminator_loss(real_logits, fake_logits):
    """The discriminator's loss."""
    real_d, fake_d = torch.sigmoid(real_logits), torch.sigmoid(fake_logits)
    return -torch.log(real_d + 1e-8).mean() - torch.log(1 - fake_d + 1e-8).mean()
