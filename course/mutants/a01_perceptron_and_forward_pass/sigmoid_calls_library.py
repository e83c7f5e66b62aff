"""Calls the course library's sigmoid instead of implementing it; the test's forbid_reference trap must withhold the credit."""
FUNCTION = "sigmoid"
EDITS = [
    ("def sigmoid(z):",
     "from dlcourse.nn import sigmoid as _library_sigmoid\n"
     "def sigmoid(z):"),
    ("    z = np.asarray(z, dtype=float)\n"
     "    # e^(-|z|) lies in (0, 1], so neither branch can overflow (e^(-z) would for z < -709)\n"
     "    e = np.exp(-np.abs(z))\n"
     "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
     "    return _library_sigmoid(z)"),
]
