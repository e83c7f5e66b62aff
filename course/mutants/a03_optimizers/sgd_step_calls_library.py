"""Calls the course library's SGD on a copy of param instead of writing the update; the test's forbid_reference trap must withhold the credit."""
from dlcourse.nn import SGD as _LibrarySGD


def sgd_step(param, grad, lr):
    """One step of gradient descent: theta_t = theta_(t-1) - lr * g_t."""
    new_param = param.copy()
    _LibrarySGD(lr=lr).step([new_param], [grad])
    return new_param
