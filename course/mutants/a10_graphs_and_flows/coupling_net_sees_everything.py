"""Feeds the whole x to the network, so y_2 depends on x_2 through s and t and the Jacobian is no longer triangular."""
FUNCTION = "coupling_forward"
EDITS = [
    ('    s, t = net(x * mask)  # the network sees the kept coordinates only',
     '    s, t = net(x)'),
]
