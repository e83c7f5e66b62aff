"""Clips only the layers' weight matrices and leaves the biases (and other parameters) as they were."""
import torch


def clip_weights(module, c):
    """Clamp the parameters into [-c, c]."""
    with torch.no_grad():
        for name, parameter in module.named_parameters():
            if name.endswith("weight"):
                parameter.clamp_(-c, c)
