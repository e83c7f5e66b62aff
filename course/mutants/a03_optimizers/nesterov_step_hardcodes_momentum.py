"""Fixes the momentum at the typical 0.9 and ignores the argument; only the hidden tests use another momentum."""


def nesterov_step(param, grad, velocity, lr, momentum):
    """One step of SGD with Nesterov momentum."""
    mu = 0.9
    new_velocity = mu * velocity + grad
    return param - lr * (grad + mu * new_velocity), new_velocity
