"""Projects first and steps afterwards, so the step can leave the eps-ball around x."""
FUNCTION = "pgd_step"
EDITS = [
    ("    x_next = x_adv.detach() + alpha * gradient.sign()  # the step first ...\n"
     "    return project(x_next, x.detach(), eps)  # ... then back into the allowed box around the clean x",
     "    return project(x_adv.detach(), x.detach(), eps) + alpha * gradient.sign()"),
]
