"""Uses the v = mu v - lr g, theta = theta + v form: the path is torch's, but the returned velocity is -lr b, not b."""


def sgd_momentum_step(param, grad, velocity, lr, momentum):
    """One step of SGD with heavy-ball momentum."""
    new_velocity = momentum * velocity - lr * grad
    return param + new_velocity, new_velocity
