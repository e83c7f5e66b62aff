"""Scales the columns of W_hh by 1 - h_t^2 (W_hh diag(1 - h_t^2)) instead of its rows (diag(1 - h_t^2) W_hh)."""
FUNCTION = "state_jacobian_norms"
EDITS = [
    ("        step = (1.0 - h**2)[:, None] * W_hh  # diag(1 - h_t^2) W_hh: row i scaled by tanh' of unit i",
     "        step = W_hh * (1.0 - h**2)"),
]
