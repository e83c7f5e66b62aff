"""Puts the model's density on top: p_G / (p* + p_G), the probability of being generated."""
import torch


def optimal_discriminator(p_data, p_model):
    """The optimal discriminator."""
    total = p_data + p_model
    return torch.where(total > 0, p_model / total, torch.full_like(total, 0.5))
