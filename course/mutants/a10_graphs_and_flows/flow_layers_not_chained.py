"""Applies every layer to x instead of to the previous layer's output."""
FUNCTION = "flow_log_prob"
EDITS = [
    ("        h, log_det = layer(h)  # each layer transforms the previous layer's output",
     '        h, log_det = layer(x)'),
]
