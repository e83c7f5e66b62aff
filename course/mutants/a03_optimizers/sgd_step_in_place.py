"""Updates the caller's array with param -= lr * grad and returns it: the values are right, but param is changed."""


def sgd_step(param, grad, lr):
    """One step of gradient descent: theta_t = theta_(t-1) - lr * g_t."""
    param -= lr * grad
    return param
