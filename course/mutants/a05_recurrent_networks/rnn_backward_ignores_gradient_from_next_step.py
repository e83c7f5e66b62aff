"""Uses only dh[k] at each step and drops the gradient coming back from h_(t+1) (no flow through time)."""
FUNCTION = "rnn_backward"
EDITS = [
    ("        g = dh[k] + dh_from_next  # h_t reaches the loss directly and through h_(t+1)",
     "        g = dh[k]"),
]
