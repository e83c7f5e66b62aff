"""Adds only b_ih to the pre-activations and forgets torch's second bias b_hh."""
FUNCTION = "lstm_cell_forward"
EDITS = [
    ("    A = x @ W_ih.T + b_ih + h @ W_hh.T + b_hh  # (N, 4H): all four gates at once",
     "    A = x @ W_ih.T + b_ih + h @ W_hh.T"),
]
