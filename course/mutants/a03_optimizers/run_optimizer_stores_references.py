"""Appends the point itself, not a copy, and steps from start itself: with a step that updates in place every row is the last point."""
import numpy as np


def run_optimizer(step, start, grad_fn, steps, state):
    """Follow an optimiser for `steps` steps from `start` and record the path."""
    param = start
    path = [param]
    for t in range(1, steps + 1):
        param, state = step(param, grad_fn(param), state, t)
        path.append(param)
    return np.array(path)
