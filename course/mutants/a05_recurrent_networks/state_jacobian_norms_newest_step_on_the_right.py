"""Multiplies each new step Jacobian on the right, J_t = J_(t-1) diag(1 - h_t^2) W_hh, so the chain runs backwards."""
FUNCTION = "state_jacobian_norms"
EDITS = [
    ("        jacobian = step @ jacobian  # the newest step on the left",
     "        jacobian = jacobian @ step"),
]
