"""Puts new nn.Parameter objects into the layers, so the optimiser keeps training the old, unclipped ones."""
import torch
from torch import nn


def clip_weights(module, c):
    """Clamp the parameters into [-c, c]."""
    for layer in module.modules():
        for name, parameter in list(layer.named_parameters(recurse=False)):
            setattr(layer, name, nn.Parameter(parameter.detach().clamp(-c, c)))
