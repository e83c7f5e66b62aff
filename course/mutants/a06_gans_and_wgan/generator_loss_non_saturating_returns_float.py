"""Returns loss.item(), a Python float, so backward() cannot train the generator with it."""
import torch.nn.functional as F


def generator_loss_non_saturating(fake_logits):
    """The non-saturating generator loss."""
    return (-F.logsigmoid(fake_logits).mean()).item()
