"""Fixes the weight at the paper's lambda = 10 and ignores the argument lam."""
FUNCTION = "gradient_penalty"
EDITS = [
    ("    return lam * ((norms - 1) ** 2).mean()",
     "    return 10.0 * ((norms - 1) ** 2).mean()"),
]
