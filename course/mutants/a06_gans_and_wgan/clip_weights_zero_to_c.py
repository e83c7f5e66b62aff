"""Clamps into [0, c] instead of [-c, c], wiping out every negative weight."""
import torch


def clip_weights(module, c):
    """Clamp the parameters into [-c, c]."""
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.clamp_(0, c)
