"""Calls the course library's dlcourse.nn.conv2d instead of writing the layer; the forbid_reference trap must withhold the credit."""
import dlcourse


def conv2d_forward(x, w, b, stride=1, padding=0):
    """Forward pass of a convolutional layer."""
    return dlcourse.nn.conv2d(x, w, b, stride=stride, padding=padding)
