"""Passes the initial state to every step and throws away the state each step returns."""
import numpy as np


def run_optimizer(step, start, grad_fn, steps, state):
    """Follow an optimiser for `steps` steps from `start` and record the path."""
    param = np.array(start, dtype=float)
    path = [param.copy()]
    for t in range(1, steps + 1):
        param, _ = step(param, grad_fn(param), state, t)
        path.append(np.array(param, dtype=float))
    return np.array(path)
