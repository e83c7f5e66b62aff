"""Rescales to max_norm even when the total norm is already below it, blowing small gradients up."""
import numpy as np


def clip_grad_norm(grads, max_norm):
    """Clip gradients by their global L2 norm, in place."""
    arrays = list(grads.values()) if isinstance(grads, dict) else list(grads)
    total_norm = float(np.sqrt(sum(np.sum(g**2) for g in arrays)))
    for g in arrays:
        g *= max_norm / (total_norm + 1e-6)
    return total_norm
