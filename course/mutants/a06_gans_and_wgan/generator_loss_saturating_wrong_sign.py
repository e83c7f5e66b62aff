"""Returns -mean log(1 - D(G(z))), the discriminator's term, instead of mean log(1 - D(G(z)))."""
import torch.nn.functional as F


def generator_loss_saturating(fake_logits):
    """The saturating generator loss."""
    return -F.logsigmoid(-fake_logits).mean()
