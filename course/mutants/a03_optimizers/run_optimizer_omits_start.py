"""Records only the points after each step, so the path has `steps` rows and lacks the start."""
import numpy as np


def run_optimizer(step, start, grad_fn, steps, state):
    """Follow an optimiser for `steps` steps from `start` and record the path."""
    param = np.array(start, dtype=float)
    path = []
    for t in range(1, steps + 1):
        param, state = step(param, grad_fn(param), state, t)
        path.append(np.array(param, dtype=float))
    return np.array(path)
