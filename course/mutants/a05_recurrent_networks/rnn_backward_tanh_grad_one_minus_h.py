"""Uses 1 - h_t instead of 1 - h_t^2 as the derivative of tanh."""
FUNCTION = "rnn_backward"
EDITS = [
    ("        delta = g * (1.0 - hs[k] ** 2)  # through the tanh: tanh'(a_t) = 1 - h_t^2",
     "        delta = g * (1.0 - hs[k])"),
]
