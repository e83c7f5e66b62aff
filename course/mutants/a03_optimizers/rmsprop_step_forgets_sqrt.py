"""Divides by the mean square v_t + eps instead of the root mean square sqrt(v_t) + eps."""


def rmsprop_step(param, grad, square_avg, lr, alpha, eps):
    """One step of RMSprop."""
    new_square_avg = alpha * square_avg + (1 - alpha) * grad**2
    return param - lr * grad / (new_square_avg + eps), new_square_avg
