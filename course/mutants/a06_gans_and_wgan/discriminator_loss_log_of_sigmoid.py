"""Takes torch.log(torch.sigmoid(l)) and torch.log(1 - torch.sigmoid(l)), which are -inf once the sigmoid rounds to 0 or 1."""
import torch


def discriminator_loss(real_logits, fake_logits):
    """The discriminator's loss."""
    return -torch.log(torch.sigmoid(real_logits)).mean() - torch.log(1 - torch.sigmoid(fake_logits)).mean()
