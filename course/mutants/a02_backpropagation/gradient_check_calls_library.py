"""Calls the course library's numerical_gradient instead of implementing it; the test's forbid_reference trap must withhold the credit."""
from dlcourse.checks import numerical_gradient as _library_numerical_gradient


def gradient_check(f, x, eps=1e-6):
    """Numerical gradient of f at x by central differences, entry by entry."""
    return _library_numerical_gradient(f, x, eps)
