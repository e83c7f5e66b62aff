"""Numbers the steps t = 0, 1, ..., steps - 1 (Python's range(steps)) instead of 1, 2, ..., steps."""
import numpy as np


def run_optimizer(step, start, grad_fn, steps, state):
    """Follow an optimiser for `steps` steps from `start` and record the path."""
    param = np.array(start, dtype=float)
    path = [param.copy()]
    for t in range(steps):
        param, state = step(param, grad_fn(param), state, t)
        path.append(np.array(param, dtype=float))
    return np.array(path)
