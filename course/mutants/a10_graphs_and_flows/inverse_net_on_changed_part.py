"""Feeds the network the changed coordinates, y * (1 - mask), instead of the kept ones."""
FUNCTION = "coupling_inverse"
EDITS = [
    ("    s, t = net(y * mask)  # x_1 = y_1, so the network recomputes the forward pass's s and t",
     '    s, t = net(y * (1 - mask))'),
]
