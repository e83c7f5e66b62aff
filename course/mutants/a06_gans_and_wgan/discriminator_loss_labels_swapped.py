"""Labels the real examples 0 and the generated ones 1: -mean log(1 - D(x)) - mean log D(G(z))."""
import torch.nn.functional as F


def discriminator_loss(real_logits, fake_logits):
    """The discriminator's loss."""
    return -F.logsigmoid(-real_logits).mean() - F.logsigmoid(fake_logits).mean()
