"""Implements Nesterov momentum as the heavy ball, theta - lr b_t, forgetting the look-ahead g_t + mu b_t."""


def nesterov_step(param, grad, velocity, lr, momentum):
    """One step of SGD with Nesterov momentum."""
    new_velocity = momentum * velocity + grad
    return param - lr * new_velocity, new_velocity
