"""Updates the velocity in place (velocity *= momentum; velocity += grad): the caller's buffer changes."""


def sgd_momentum_step(param, grad, velocity, lr, momentum):
    """One step of SGD with heavy-ball momentum."""
    velocity *= momentum
    velocity += grad
    return param - lr * velocity, velocity
