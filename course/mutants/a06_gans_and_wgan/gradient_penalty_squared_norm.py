"""Penalises the squared gradient norm |grad f|^2 instead of its distance from 1, (|grad f| - 1)^2."""
FUNCTION = "gradient_penalty"
EDITS = [
    ("    return lam * ((norms - 1) ** 2).mean()",
     "    return lam * (norms ** 2).mean()"),
]
