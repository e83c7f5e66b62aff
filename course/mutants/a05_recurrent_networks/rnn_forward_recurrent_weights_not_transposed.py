"""Multiplies the state by W_hh instead of W_hh^T (h @ W_hh), which is W_hh^T h_(t-1) in the column form."""
FUNCTION = "rnn_forward"
EDITS = [
    ("        h = np.tanh(x[k] @ W_xh.T + h @ W_hh.T + b)",
     "        h = np.tanh(x[k] @ W_xh.T + h @ W_hh + b)"),
]
