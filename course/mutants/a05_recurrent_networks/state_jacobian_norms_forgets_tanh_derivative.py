"""Multiplies by W_hh alone at every step, forgetting the factor diag(1 - h_t^2) of the tanh."""
FUNCTION = "state_jacobian_norms"
EDITS = [
    ("        step = (1.0 - h**2)[:, None] * W_hh  # diag(1 - h_t^2) W_hh: row i scaled by tanh' of unit i",
     "        step = W_hh"),
]
