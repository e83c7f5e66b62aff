"""Writes g = g * factor in the loop, which rebinds the loop variable and leaves the caller's arrays unclipped."""
import numpy as np


def clip_grad_norm(grads, max_norm):
    """Clip gradients by their global L2 norm, in place."""
    arrays = list(grads.values()) if isinstance(grads, dict) else list(grads)
    total_norm = float(np.sqrt(sum(np.sum(g**2) for g in arrays)))
    if total_norm > max_norm:
        for g in arrays:
            g = g * (max_norm / (total_norm + 1e-6))
    return total_norm
