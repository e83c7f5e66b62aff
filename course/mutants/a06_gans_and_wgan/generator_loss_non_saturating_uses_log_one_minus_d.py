"""Writes the non-saturating loss as -mean log(1 - D(G(z))) instead of -mean log D(G(z))."""
import torch.nn.functional as F


def generator_loss_non_saturating(fake_logits):
    """The non-saturating generator loss."""
    return -F.logsigmoid(-fake_logits).mean()
