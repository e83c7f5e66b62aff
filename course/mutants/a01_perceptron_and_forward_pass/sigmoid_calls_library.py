"""Calls the course library's sigmoid instead of implementing it; the test's forbid_reference trap must withhold the credit."""
from dlcourse.nn import sigmoid as _library_sigmoid


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + e^(-z)), elementwise."""
    return _library_sigmoid(z)
