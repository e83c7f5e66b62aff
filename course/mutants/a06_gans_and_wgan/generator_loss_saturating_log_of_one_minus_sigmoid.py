"""Takes torch.log(1 - torch.sigmoid(l)), which is -inf from l = 17 in float32."""
import torch


def generator_loss_saturating(fake_logits):
    """The saturating generator loss."""
    return torch.log(1 - torch.sigmoid(fake_logits)).mean()
