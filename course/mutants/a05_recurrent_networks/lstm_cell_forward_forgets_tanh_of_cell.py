"""Outputs h_next = o * c_next, forgetting the tanh of the new cell state."""
FUNCTION = "lstm_cell_forward"
EDITS = [
    ("    h_next = o * np.tanh(c_next)",
     "    h_next = o * c_next"),
]
