"""Returns c and w as (2, 1) column vectors, as the deck writes them, instead of the (2,) arrays the docstring asks for."""
FUNCTION = "xor_weights"
EDITS = [
    ("    c = np.array([0.0, -1.0])               # the second fires only when x1 = x2 = 1",
     "    c = np.array([[0.0], [-1.0]])"),
    ('    w = np.array([1.0, -2.0])               # x1 + x2, minus twice the "both on" unit',
     "    w = np.array([[1.0], [-2.0]])"),
]
