"""Calls the course library's SGD on a copy of param instead of writing the update; the test's forbid_reference trap must withhold the credit."""
FUNCTION = "sgd_step"
EDITS = [
    ("def sgd_step(param, grad, lr):",
     "from dlcourse.nn import SGD as _LibrarySGD\n"
     "def sgd_step(param, grad, lr):"),
    ("    return param - lr * grad",
     "    new_param = param.copy()\n"
     "    _LibrarySGD(lr=lr).step([new_param], [grad])\n"
     "    return new_param"),
]
