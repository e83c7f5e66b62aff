"""Leaves out the -1 bias of the second hidden unit (c = [0, 0]), so both units fire alike and the output is wrong."""
FUNCTION = "xor_weights"
EDITS = [
    ("    c = np.array([0.0, -1.0])               # the second fires only when x1 = x2 = 1",
     "    c = np.array([0.0, 0.0])"),
]
