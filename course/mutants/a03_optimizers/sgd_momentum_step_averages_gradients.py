"""Writes the velocity as an average, b = mu b + (1 - mu) g, instead of torch's sum b = mu b + g."""


def sgd_momentum_step(param, grad, velocity, lr, momentum):
    """One step of SGD with heavy-ball momentum."""
    new_velocity = momentum * velocity + (1 - momentum) * grad
    return param - lr * new_velocity, new_velocity
