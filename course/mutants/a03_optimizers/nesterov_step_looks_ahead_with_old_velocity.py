"""Looks ahead with the old velocity, g_t + mu b_(t-1), instead of the new one b_t."""


def nesterov_step(param, grad, velocity, lr, momentum):
    """One step of SGD with Nesterov momentum."""
    new_velocity = momentum * velocity + grad
    return param - lr * (grad + momentum * velocity), new_velocity
