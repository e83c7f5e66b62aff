"""Takes the gradient at the clean x instead of at the current iterate x_adv."""
FUNCTION = "pgd_step"
EDITS = [
    ("    x_ = x_adv.detach().clone().requires_grad_(True)",
     "    x_ = x.detach().clone().requires_grad_(True)"),
]
