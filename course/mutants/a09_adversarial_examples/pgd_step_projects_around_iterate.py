"""Projects onto the eps-ball around the current iterate instead of the clean image, so the budget grows every step."""
FUNCTION = "pgd_step"
EDITS = [
    ("    return project(x_next, x.detach(), eps)  # ... then back into the allowed box around the clean x",
     "    return project(x_next, x_adv.detach(), eps)"),
]
