"""Reads the gate blocks in the order i, f, o, g (as some course notes stack them) instead of torch's i, f, g, o."""
FUNCTION = "lstm_cell_forward"
EDITS = [
    ("    A_i, A_f, A_g, A_o = A[:, :H], A[:, H:2 * H], A[:, 2 * H:3 * H], A[:, 3 * H:]",
     "    A_i, A_f, A_o, A_g = A[:, :H], A[:, H:2 * H], A[:, 2 * H:3 * H], A[:, 3 * H:]"),
]
