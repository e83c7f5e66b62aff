"""Feeds h0 into every step instead of the state the previous step produced, so the steps never connect."""
FUNCTION = "rnn_forward"
EDITS = [
    ("        h = np.tanh(x[k] @ W_xh.T + h @ W_hh.T + b)",
     "        h = np.tanh(x[k] @ W_xh.T + h0 @ W_hh.T + b)"),
]
