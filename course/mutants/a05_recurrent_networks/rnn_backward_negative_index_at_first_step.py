"""Takes h_prev = hs[k - 1] also at k = 0, where Python's hs[-1] is h_T, instead of h0."""
FUNCTION = "rnn_backward"
EDITS = [
    ("        h_prev = hs[k - 1] if k > 0 else h0",
     "        h_prev = hs[k - 1]"),
]
