"""Averages the cross-entropy over the real and generated logits together instead of each batch on its own."""
import torch
import torch.nn.functional as F


def discriminator_loss(real_logits, fake_logits):
    """The discriminator's loss."""
    terms = torch.cat([-F.logsigmoid(real_logits).flatten(), -F.logsigmoid(-fake_logits).flatten()])
    return terms.mean()
