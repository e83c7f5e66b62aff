"""Sends the gradient back with delta_t W_hh^T (the column form's W_hh^T copied into the row form) instead of delta_t W_hh."""
FUNCTION = "rnn_backward"
EDITS = [
    ("        dh_from_next = delta @ W_hh  # (N, H) @ (H, H): one factor W_hh per step back",
     "        dh_from_next = delta @ W_hh.T"),
]
