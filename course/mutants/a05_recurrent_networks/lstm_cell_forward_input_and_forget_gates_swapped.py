"""Reads the gate blocks in the order f, i, g, o, swapping the input and forget gates of torch's i, f, g, o."""
FUNCTION = "lstm_cell_forward"
EDITS = [
    ("    A_i, A_f, A_g, A_o = A[:, :H], A[:, H:2 * H], A[:, 2 * H:3 * H], A[:, 3 * H:]",
     "    A_f, A_i, A_g, A_o = A[:, :H], A[:, H:2 * H], A[:, 2 * H:3 * H], A[:, 3 * H:]"),
]
