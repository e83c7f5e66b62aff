"""Takes the total norm as the sum of the arrays' norms instead of the root of the sum of their squares."""
import numpy as np


def clip_grad_norm(grads, max_norm):
    """Clip gradients by their global L2 norm, in place."""
    arrays = list(grads.values()) if isinstance(grads, dict) else list(grads)
    total_norm = float(sum(np.linalg.norm(g) for g in arrays))
    if total_norm > max_norm:
        for g in arrays:
            g *= max_norm / (total_norm + 1e-6)
    return total_norm
