"""Leaves the bias out of the pre-activation: h_t = tanh(x_t W_xh^T + h_(t-1) W_hh^T)."""
FUNCTION = "rnn_forward"
EDITS = [
    ("        h = np.tanh(x[k] @ W_xh.T + h @ W_hh.T + b)",
     "        h = np.tanh(x[k] @ W_xh.T + h @ W_hh.T)"),
]
