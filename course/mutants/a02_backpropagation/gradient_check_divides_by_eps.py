"""Divides the central difference by eps instead of 2 eps, doubling every entry."""
FUNCTION = "gradient_check"
EDITS = [
    ("        grad[i] = (f_plus - f_minus) / (2 * eps)  # central difference: error O(eps^2)",
     "        grad[i] = (f_plus - f_minus) / eps"),
]
