"""Stores the state before updating it, so hs[k] holds h_k (from h0 to h_(T-1)) instead of h_(k+1)."""
FUNCTION = "rnn_forward"
EDITS = [
    ("        h = np.tanh(x[k] @ W_xh.T + h @ W_hh.T + b)\n"
     "        hs[k] = h",
     "        hs[k] = h\n"
     "        h = np.tanh(x[k] @ W_xh.T + h @ W_hh.T + b)"),
]
