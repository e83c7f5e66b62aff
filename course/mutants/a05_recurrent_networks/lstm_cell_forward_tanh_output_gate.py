"""Squashes the output gate with tanh instead of the sigmoid, so it can be negative."""
FUNCTION = "lstm_cell_forward"
EDITS = [
    ("    o = 1.0 / (1.0 + np.exp(-A_o))  # output gate",
     "    o = np.tanh(A_o)  # output gate"),
]
