"""Clips every array by its own norm instead of one global norm, which changes the direction of the whole gradient."""
import numpy as np


def clip_grad_norm(grads, max_norm):
    """Clip gradients by their global L2 norm, in place."""
    arrays = list(grads.values()) if isinstance(grads, dict) else list(grads)
    total_norm = float(np.sqrt(sum(np.sum(g**2) for g in arrays)))
    for g in arrays:
        norm = np.linalg.norm(g)
        if norm > max_norm:
            g *= max_norm / (norm + 1e-6)
    return total_norm
