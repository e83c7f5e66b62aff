"""Feeds the whole y to the network, so it computes other s and t than the forward pass did."""
FUNCTION = "coupling_inverse"
EDITS = [
    ("    s, t = net(y * mask)  # x_1 = y_1, so the network recomputes the forward pass's s and t",
     '    s, t = net(y)'),
]
